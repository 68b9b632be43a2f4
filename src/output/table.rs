//! The human summary printed on the terminal: what was studied, under which conventions, each
//! event with its day 0 and its CARs with t, p and significance marks, and the exclusions.

use chrono::{Datelike, NaiveDate};

use crate::summary::{stars, Summary};

/// A return as `+1.23%`.
pub fn pct(x: f64) -> String {
    format!("{:+.2}%", 100.0 * x)
}

fn weekday(d: &str) -> String {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").map(|d| format!(" ({})", d.weekday())).unwrap_or_default()
}

/// The value of an option as the user types it (e.g. `m-k-1`, `sum-sar`).
fn option_name(v: impl clap::ValueEnum) -> String {
    v.to_possible_value().map(|p| p.get_name().to_string()).unwrap_or_default()
}

/// A window as `[-1,+1]`.
pub fn win(w: (i32, i32)) -> String {
    let f = |x: i32| if x > 0 { format!("+{x}") } else { x.to_string() };
    format!("[{},{}]", f(w.0), f(w.1))
}

/// "SPY", or "SPY (BABA, AAPL), HSI (9988.HK)" when tickers have their own benchmarks.
pub fn benchmarks_text(s: &Summary) -> String {
    let mut by: Vec<(String, Vec<String>)> = Vec::new();
    for (t, i) in &s.config.tickers_info {
        let Some(b) = &i.benchmark else { continue };
        match by.iter_mut().find(|(x, _)| x == b) {
            Some((_, ts)) => ts.push(t.clone()),
            None => by.push((b.clone(), vec![t.clone()])),
        }
    }
    match by.len() {
        0 => s.config.market.clone(),
        1 => by.remove(0).0,
        _ => by.iter().map(|(b, ts)| format!("{b} ({})", ts.join(", "))).collect::<Vec<_>>().join(", "),
    }
}

/// The model and its benchmark, e.g. "Market model on SPY" (shared by the table, the charts
/// and the report).
pub fn model_text(s: &Summary) -> String {
    let c = &s.config;
    let against = benchmarks_text(s);
    match c.model.as_str() {
        "market" => match c.beta {
            crate::config::BetaKind::Ols => format!("Market model on {against}"),
            crate::config::BetaKind::ScholesWilliams => format!("Market model (Scholes-Williams beta) on {against}"),
            crate::config::BetaKind::Dimson => format!("Market model (Dimson beta, {} lag(s)) on {against}", c.dimson_lags.unwrap_or(1)),
        },
        "market-adjusted" => format!("Market-adjusted returns against {against}"),
        "constant-mean" => "Constant-mean model".to_string(),
        other => format!("{} factor model", other.to_uppercase()),
    }
}

/// Model, returns and windows in one line, parts joined by `sep`.
pub fn method_text(s: &Summary, sep: &str) -> String {
    let c = &s.config;
    let returns = match c.returns {
        crate::config::ReturnKind::Simple => "simple",
        crate::config::ReturnKind::Log => "log",
    };
    [model_text(s), format!("{returns} returns"), format!("estimation {}", win(c.estimation)), format!("event window {}", win(c.window))].join(sep)
}

/// Renders the terminal summary; `written` lists the output folder and files when saved.
pub fn render(s: &Summary, written: Option<(&str, &[&str])>) -> String {
    let mut o = String::new();
    let c = &s.config;
    o.push_str(&format!("eventstudy {} | study {}\n", s.tool.version, s.study));
    if let Some(n) = &s.data_notice {
        o.push_str(&format!("!! {n}\n"));
    }
    o.push_str(&format!("{}\n", method_text(s, " | ")));
    o.push_str(&format!(
        "Conventions: s^2 denominator {} | BMP {} | Patell CAR {} | {} p-values | bootstrap {}\n",
        option_name(c.s2_denominator),
        option_name(c.bmp_scale),
        option_name(c.patell_car),
        option_name(c.alternative),
        if c.bootstrap > 0 { format!("{} resamples (seed {})", c.bootstrap, c.seed) } else { "off".into() }
    ));
    let prices: Vec<String> = s
        .price_inputs()
        .map(|i| format!("{} {} ({})", i.ticker.as_deref().unwrap_or(""), i.price_column.as_deref().unwrap_or(""), i.path))
        .collect();
    o.push_str(&format!("Prices: {}\n", prices.join(" | ")));
    for n in &s.notes {
        o.push_str(&format!("Note: {n}\n"));
    }
    for w in &s.warnings {
        o.push_str(&format!("Warning: {w}\n"));
    }

    for e in &s.events {
        o.push('\n');
        let kind = if e.kind.is_empty() { String::new() } else { format!(" | {}", e.kind) };
        o.push_str(&format!("{} | {}{}\n", e.ticker, e.id, kind));
        if !e.headline.is_empty() {
            o.push_str(&format!("  {}\n", e.headline));
        }
        let day0 = match (&e.day0, &e.day0_rule) {
            (Some(d), Some(rule)) => format!("day 0 {d}{} ({rule})", weekday(d)),
            (Some(d), None) => format!("day 0 {d}"),
            _ => "no day 0".into(),
        };
        let shown_when = if e.event_time.len() > 10 { e.event_time.clone() } else { format!("{}{}", e.event_date, weekday(&e.event_date)) };
        if e.status != "ok" {
            o.push_str(&format!("  event {shown_when} | {} | EXCLUDED ({})\n", day0, e.reason.as_deref().unwrap_or("")));
            for n in &e.notes {
                o.push_str(&format!("  {n}\n"));
            }
            continue;
        }
        let m = e.model.as_ref().expect("ok events have a model");
        let coefs: Vec<String> =
            m.coefficients.iter().filter(|(k, _)| *k != "alpha").map(|(k, v)| format!("{k}={v:.3}")).collect();
        let coefs = if coefs.is_empty() { String::new() } else { format!(" {}", coefs.join(" ")) };
        o.push_str(&format!(
            "  event {shown_when} -> {} | M={} alpha={:+.5}{} s={:.2}% R2={:.2}\n",
            day0,
            m.n_obs,
            m.alpha,
            coefs,
            100.0 * m.sigma,
            m.r_squared
        ));
        if let (Some(rule), Some(reason)) = (&e.day0_rule, &e.day0_reason) {
            if rule != "same-day" {
                o.push_str(&format!("  day 0: {reason}\n"));
            }
        }
        o.push_str(&format!("  {:<9} {:>9} {:>8} {:>7} {:>8}     {:>9}\n", "window", "CAR", "se", "t", "p", "BHAR"));
        for r in &e.car {
            o.push_str(&format!(
                "  {:<9} {:>9} {:>8} {:>7.2} {:>8.4} {:<3} {:>9}\n",
                win(r.window),
                pct(r.car),
                format!("{:.2}%", 100.0 * r.se),
                r.t,
                r.p,
                stars(r.p),
                pct(r.bhar)
            ));
        }
        for n in &e.notes {
            o.push_str(&format!("  note: {n}\n"));
        }
    }
    for g in &s.aggregate {
        o.push_str(&render_group(g));
    }
    o.push('\n');
    let ok = s.events.iter().filter(|e| e.status == "ok").count();
    if s.exclusions.is_empty() {
        o.push_str(&format!("{ok} event-ticker pair(s) computed; none excluded.\n"));
    } else {
        let parts: Vec<String> = s.exclusions.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let total: usize = s.exclusions.values().sum();
        o.push_str(&format!("{ok} event-ticker pair(s) computed; {total} excluded ({}).\n", parts.join(", ")));
    }
    o.push_str(&format!(
        "Significance: * p<0.10, ** p<0.05, *** p<0.01 ({} p-values; per event: t with M-k-1 df).\n",
        match c.alternative {
            crate::config::Alternative::TwoSided => "two-sided",
            crate::config::Alternative::Greater => "one-sided (greater)",
            crate::config::Alternative::Less => "one-sided (less)",
        }
    ));
    if let Some(n) = &s.data_notice {
        o.push_str(&format!("!! {n}\n"));
    }
    if let Some((dir, files)) = written {
        o.push_str(&format!("Wrote {dir}/: {}\n", files.join(", ")));
    }
    o
}

/// Short column headers for the across-event tests.
pub const SHORT: &[(&str, &str)] = &[
    ("csect_t", "csect t"),
    ("bw_cda_t", "BW-CDA t"),
    ("patell_z", "Patell z"),
    ("bmp_t", "BMP t"),
    ("kp_bmp_t", "KP t"),
    ("corrado_z", "Corrado"),
    ("gen_sign_z", "GenSign"),
    ("sign_z", "Sign z"),
    ("wilcoxon_z", "Wilcoxon"),
    ("bootstrap", "Boot t"),
];

/// A test statistic with its significance marks, `n/a` when undefined, `-` when not run.
pub fn cell(t: Option<&crate::summary::TestOutcome>) -> String {
    match t {
        Some(t) if t.stat.is_finite() => format!("{:.2}{}", t.stat, stars(t.p)),
        Some(_) => "n/a".into(),
        None => "-".into(),
    }
}

/// One group's CAAR table: a row per CAR window and day 0, a column per test.
pub fn render_group(g: &crate::summary::GroupResult) -> String {
    let mut o = String::new();
    o.push_str(&format!(
        "\nAcross events: {} (N={}) | r-bar={:.3} ({} pairs) | p-hat={:.3}\n",
        g.group, g.n, g.rbar, g.rbar_pairs, g.p_hat
    ));
    o.push_str(&format!("  {:<9} {:>9}", "window", "CAAR"));
    for (_, h) in SHORT {
        o.push_str(&format!(" {:>9}", h));
    }
    o.push('\n');
    let mut rows: Vec<(String, f64, &std::collections::BTreeMap<String, crate::summary::TestOutcome>)> = Vec::new();
    if let Some(d0) = g.days.iter().find(|d| d.day == 0) {
        rows.push(("AAR day 0".into(), d0.aar, &d0.tests));
    }
    for w in &g.windows {
        rows.push((win(w.window), w.caar, &w.tests));
    }
    for (label, v, tests) in rows {
        o.push_str(&format!("  {:<9} {:>9}", label, pct(v)));
        for (k, _) in SHORT {
            o.push_str(&format!(" {:>9}", cell(tests.get(*k))));
        }
        o.push('\n');
    }
    o
}

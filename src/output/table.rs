//! The human summary printed on the terminal: what was studied, under which conventions, each
//! event with its day 0 and its CARs with t, p and significance marks, and the exclusions.

use crate::stats::adjust::Adjust;
use chrono::{Datelike, NaiveDate};

use super::units::Units;
use crate::config::{option_name, Alternative, BetaKind, MeasureKind, ModelKind, ReturnKind};
use crate::summary::{stars, Day0Rule, GroupResult, InputRole, Status, Summary, TestId, TestOutcome};

/// A return as `+1.23%`.
pub fn pct(x: f64) -> String {
    format!("{:+.2}%", 100.0 * x)
}

fn weekday(d: &str) -> String {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").map(|d| format!(" ({})", d.weekday())).unwrap_or_default()
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

/// `f(v)`, or n/a where `v` is not a number (a fit that gave none).
pub fn or_na(v: f64, f: &dyn Fn(f64) -> String) -> String {
    if v.is_finite() {
        f(v)
    } else {
        "n/a".to_string()
    }
}

/// A small or large number in scientific notation with 4 significant digits (GARCH variances).
pub fn sci(v: f64) -> String {
    format!("{v:.3e}")
}

/// The model and its benchmark, e.g. "Market model on SPY" (shared by the table, the charts
/// and the report).
pub fn model_text(s: &Summary) -> String {
    let m = &s.config.method;
    let against = benchmarks_text(s);
    match m.model {
        ModelKind::Market => match m.beta {
            BetaKind::Ols => format!("Market model on {against}"),
            BetaKind::ScholesWilliams => format!("Market model (Scholes-Williams beta) on {against}"),
            BetaKind::Dimson => {
                format!("Market model (Dimson beta, {} lag(s)) on {against}", m.dimson_lags.unwrap_or(1))
            }
        },
        ModelKind::Garch => format!("GARCH(1,1) market model on {against}"),
        ModelKind::MarketAdjusted => format!("Market-adjusted returns against {against}"),
        ModelKind::ConstantMean => "Constant-mean model".to_string(),
        ModelKind::Ff3 | ModelKind::Carhart | ModelKind::Ff5 => {
            format!("{} factor model", option_name(m.model).to_uppercase())
        }
    }
}

/// Model, returns and windows in one line, parts joined by `sep`.
pub fn method_text(s: &Summary, sep: &str) -> String {
    let m = &s.config.method;
    let returns = match (m.measure, m.returns) {
        (MeasureKind::Volume, _) => "log volume ln(1+V)",
        (_, ReturnKind::Simple) => "simple returns",
        (_, ReturnKind::Log) => "log returns",
    };
    [
        model_text(s),
        returns.to_string(),
        format!("estimation {}", win(m.estimation)),
        format!("event window {}", win(m.window)),
    ]
    .join(sep)
}

/// The terminal lists at most this many event-ticker pairs; the files have them all.
pub const LISTED_EVENTS: usize = 100;

/// The terminal and the report show at most this many groups' tables (`all` comes first).
pub const LISTED_GROUPS: usize = 25;

/// Renders the terminal summary; `written` lists the output folder and files when saved. A
/// large study lists its first [`LISTED_EVENTS`] pairs and [`LISTED_GROUPS`] groups and says
/// where the others are: thousands of blocks scroll past unread and took seconds to print.
pub fn render(s: &Summary, written: Option<(&str, &[&str])>) -> String {
    let mut o = header(s);
    o.push_str(&claims_block(s));
    let u = Units::of(s);
    for e in s.events.iter().take(LISTED_EVENTS) {
        o.push('\n');
        o.push_str(&event_block(e, &u));
    }
    if s.events.len() > LISTED_EVENTS {
        o.push_str(&format!(
            "\n... the first {LISTED_EVENTS} of {} event-ticker pairs are listed; car.csv, ar.csv and summary.json have all of them.\n",
            s.events.len()
        ));
    }
    for g in s.aggregate.iter().take(LISTED_GROUPS) {
        o.push_str(&render_group(g, &u));
    }
    if s.aggregate.len() > LISTED_GROUPS {
        o.push_str(&more_groups(s.aggregate.len()));
        o.push('\n');
    }
    o.push('\n');
    o.push_str(&footer(s));
    if let Some((dir, files)) = written {
        o.push_str(&format!("Wrote {dir}/: {}\n", files.join(", ")));
    }
    o
}

/// "Prices: BABA Adj Close (d/BABA.csv) | ...": the stocks' prices, then the benchmarks',
/// said to be for the market_ret column only when the model does not use them (factor models,
/// constant mean), then the factor files.
pub(crate) fn prices_line(s: &Summary) -> String {
    let uses_market = s.config.tickers_info.values().any(|t| t.benchmark.is_some());
    let shown = |i: &crate::summary::InputFile| {
        format!("{} {} ({})", i.ticker.as_deref().unwrap_or(""), i.price_column.as_deref().unwrap_or(""), i.path)
    };
    let mut parts: Vec<String> =
        s.price_inputs().filter(|i| uses_market || i.role == InputRole::Stock).map(shown).collect();
    let benchmarks: Vec<String> = s.price_inputs().filter(|i| i.role == InputRole::Market).map(shown).collect();
    if !uses_market && !benchmarks.is_empty() {
        parts.push(format!("{} (market_ret column only; not in the model)", benchmarks.join(", ")));
    }
    let mut line = format!("Prices: {}", parts.join(" | "));
    let factors: Vec<&str> =
        s.inputs.iter().filter(|i| i.role == InputRole::Factors).map(|i| i.path.as_str()).collect();
    if !factors.is_empty() {
        line.push_str(&format!("\nFactors: {}", factors.join(" | ")));
    }
    line
}

/// What was studied, under which conventions, from which prices, with notes and warnings.
fn header(s: &Summary) -> String {
    let mut o = String::new();
    let t = &s.config.tests;
    o.push_str(&format!("eventstudy {} | study {}\n", s.tool.version, s.study));
    if let Some(n) = &s.data_notice {
        o.push_str(&format!("!! {n}\n"));
    }
    o.push_str(&format!("{}\n", method_text(s, " | ")));
    o.push_str(&format!(
        "Conventions: s^2 denominator {} | BMP {} | Patell CAR {} | {} p-values | bootstrap {}\n",
        option_name(t.s2_denominator),
        option_name(t.bmp_scale),
        option_name(t.patell_car),
        option_name(t.alternative),
        if t.bootstrap > 0 { format!("{} resamples (seed {})", t.bootstrap, t.seed) } else { "off".into() }
    ));
    o.push_str(&format!("{}\n", prices_line(s)));
    for n in &s.notes {
        o.push_str(&format!("Note: {n}\n"));
    }
    for line in warning_lines(&s.warnings) {
        o.push_str(&format!("Warning: {line}\n"));
    }
    o
}

/// Files named in a summarised warning line before "and N more".
const WARNING_FILES_SHOWN: usize = 3;

/// A warning's kind: the first characters of its text after the file name, numbers left out.
const WARNING_KIND_CHARS: usize = 40;

/// At most one line per kind of warning: a kind met once is printed whole; a kind met in several
/// files is printed once, with the count and the first few files (summary.json keeps them all).
/// A warning's kind is the start of its text after the file name, numbers left out.
pub fn warning_lines(warnings: &[String]) -> Vec<String> {
    let split = |w: &str| -> (Option<String>, String) {
        match w.split_once(": ") {
            Some((file, rest)) if file.contains('/') || file.contains('.') => {
                (Some(file.to_string()), rest.to_string())
            }
            _ => (None, w.to_string()),
        }
    };
    let kind =
        |rest: &str| -> String { rest.chars().filter(|c| !c.is_ascii_digit()).take(WARNING_KIND_CHARS).collect() };
    // (kind, [(file, text after the file)]) in the order first met.
    type Kind = (String, Vec<(Option<String>, String)>);
    let mut order: Vec<Kind> = Vec::new();
    for w in warnings {
        let (file, rest) = split(w);
        let k = kind(&rest);
        match order.iter_mut().find(|(kk, _)| *kk == k) {
            Some((_, v)) => v.push((file, rest)),
            None => order.push((k, vec![(file, rest)])),
        }
    }
    order
        .into_iter()
        .map(|(_, v)| {
            if v.len() == 1 {
                return match &v[0] {
                    (Some(f), rest) => format!("{f}: {rest}"),
                    (None, rest) => rest.clone(),
                };
            }
            let files: Vec<&str> = v.iter().filter_map(|(f, _)| f.as_deref()).collect();
            let shown = files.iter().take(WARNING_FILES_SHOWN).copied().collect::<Vec<_>>().join(", ");
            let more = files.len().saturating_sub(WARNING_FILES_SHOWN);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            format!("{} - in {} files: {shown}{more} (the first shown; summary.json lists each)", v[0].1, v.len())
        })
        .collect()
}

/// The verdict on each claim, one line each: verdict, claim, events used and the reason
/// (estimate and 90% interval).
pub fn claims_block(s: &Summary) -> String {
    if s.claims.is_empty() {
        return String::new();
    }
    let mut o = format!("\nClaims{}:\n", if s.data_notice.is_some() { " (on the simulated sample)" } else { "" });
    for c in &s.claims {
        let what = if c.claim.is_empty() { c.id.clone() } else { format!("{} \"{}\"", c.id, c.claim) };
        let events = if c.events.is_empty() { "no event".to_string() } else { c.events.join(", ") };
        o.push_str(&format!("  {:<12} {what} | {} {events} | {}\n", verdict_name(c.verdict), c.ticker, c.reason));
    }
    o
}

/// `supported`, `contradicted`, `inconclusive`.
pub fn verdict_name(v: crate::stats::claims::Verdict) -> &'static str {
    use crate::stats::claims::Verdict;
    match v {
        Verdict::Supported => "supported",
        Verdict::Contradicted => "contradicted",
        Verdict::Inconclusive => "inconclusive",
    }
}

/// One (event, ticker) pair: its day 0, its model and its CAR table, or why it was excluded.
fn event_block(e: &crate::summary::EventResult, u: &Units) -> String {
    let mut o = String::new();
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
    let shown_when = if e.event_time.len() > 10 {
        e.event_time.clone()
    } else {
        format!("{}{}", e.event_date, weekday(&e.event_date))
    };
    if e.status != Status::Ok {
        o.push_str(&format!(
            "  event {shown_when} | {} | EXCLUDED ({})\n",
            day0,
            e.reason.map(|r| r.code()).unwrap_or("")
        ));
        for n in &e.notes {
            o.push_str(&format!("  {n}\n"));
        }
        return o;
    }
    let m = e.model.as_ref().expect("ok events have a model");
    let coefs: Vec<String> = m
        .coefficients
        .iter()
        .filter(|(k, _)| *k != "alpha")
        // The market model's slope is its beta, whatever the coefficient is called.
        .map(|(k, v)| match k.as_str() {
            "market" => format!("beta={v:.3}"),
            // The GARCH constant is a daily variance (about 1e-5 in decimal returns).
            "omega" => format!("omega={v:.3e}"),
            _ => format!("{k}={v:.3}"),
        })
        .collect();
    let coefs = if coefs.is_empty() { String::new() } else { format!(" {}", coefs.join(" ")) };
    o.push_str(&format!(
        "  event {shown_when} -> {} | M={} alpha={:+.5}{} s={} R2={:.2}\n",
        day0,
        m.n_obs,
        m.alpha,
        coefs,
        u.se(m.sigma),
        m.r_squared
    ));
    if let (Some(ll), Some(converged), Some(boundary)) = (m.loglik, m.converged, m.boundary) {
        o.push_str(&format!(
            "  GARCH(1,1): log-likelihood {ll:.2}, {}{}; each event day standardised by its forecast h\n",
            if converged { "converged" } else { "not converged" },
            if boundary { ", a parameter at its bound (alpha1 or beta1 at 0, or alpha1+beta1 at 1)" } else { "" }
        ));
    }
    if let Some(g) = &e.garch_dummies {
        o.push_str(&format!(
            "  GARCH dummies: gamma={} (se {}) gamma/sqrt(h0)={} | delta={} (se {}, robust {}) on days 0..{} | h0={} delta/h0={}{}\n",
            or_na(g.gamma, &|v| u.value(v)),
            or_na(g.gamma_se, &|v| u.se(v)),
            or_na(g.gamma / g.h0.sqrt(), &|v| format!("{v:.2}")),
            or_na(g.delta, &sci),
            or_na(g.delta_se, &sci),
            or_na(g.delta_se_robust, &sci),
            g.vol_days,
            or_na(g.h0, &sci),
            or_na(g.delta / g.h0, &|v| format!("{v:+.2}")),
            match &g.note {
                Some(n) => format!("\n  GARCH dummies left out of the tests: {n}"),
                None => String::new(),
            }
        ));
    }
    if let (Some(rule), Some(reason)) = (&e.day0_rule, &e.day0_reason) {
        if *rule != Day0Rule::SameDay {
            o.push_str(&format!("  day 0: {reason}\n"));
        }
    }
    o.push_str(&format!(
        "  {:<9} {:>9} {:>8} {:>7} {:>8}     {:>9} {:>8} {:>8} {:>10}\n",
        "window",
        u.car(),
        "se",
        "t",
        "p",
        if u.measure == MeasureKind::Volume { "" } else { "BHAR" },
        if u.measure == MeasureKind::Volume { "" } else { "raw" },
        if u.measure == MeasureKind::Volume { "" } else { "mkt raw" },
        "vol ratio"
    ));
    for r in &e.car {
        let per_day = u.per_day(r.car, r.window.1 - r.window.0 + 1);
        let per_day = if per_day.is_empty() { per_day } else { format!(" ({per_day})") };
        o.push_str(&format!(
            "  {:<9} {:>9} {:>8} {:>7.2} {:>8.4} {:<3} {:>9} {:>8} {:>8} {:>7.2}{:<3}{per_day}\n",
            win(r.window),
            u.value(r.car),
            u.se(r.se),
            r.t,
            r.p,
            stars(r.p_adj.unwrap_or(r.p)),
            if u.measure == MeasureKind::Volume { String::new() } else { pct(r.bhar) },
            if r.raw.is_finite() { pct(r.raw) } else { String::new() },
            if r.market_raw.is_finite() { pct(r.market_raw) } else { String::new() },
            r.var_ratio,
            stars(r.var_p)
        ));
    }
    for n in &e.notes {
        o.push_str(&format!("  note: {n}\n"));
    }
    o
}

/// The line saying that only the first [`LISTED_GROUPS`] of `n` groups are shown.
pub fn more_groups(n: usize) -> String {
    format!("... the first {LISTED_GROUPS} of {n} groups are shown; aggregate.csv and summary.json have all of them.")
}

/// How many pairs were computed and excluded, and how to read the marks.
fn footer(s: &Summary) -> String {
    let mut o = String::new();
    let ok = s.events.iter().filter(|e| e.status == Status::Ok).count();
    if s.exclusions.is_empty() {
        o.push_str(&format!("{ok} event-ticker pair(s) computed; none excluded.\n"));
    } else {
        let parts: Vec<String> = s.exclusions.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let total: usize = s.exclusions.values().sum();
        o.push_str(&format!("{ok} event-ticker pair(s) computed; {total} excluded ({}).\n", parts.join(", ")));
    }
    o.push_str(&format!(
        "Significance: * p<0.10, ** p<0.05, *** p<0.01 ({} p-values; per event: t with M-k-1 df){}.\n",
        match s.config.tests.alternative {
            Alternative::TwoSided => "two-sided",
            Alternative::Greater => "one-sided (greater)",
            Alternative::Less => "one-sided (less)",
        },
        match s.config.tests.adjust {
            Adjust::None => "",
            Adjust::Holm => "; marks from Holm-adjusted p_adj",
            Adjust::Bh => "; marks from Benjamini-Hochberg-adjusted p_adj",
        }
    ));
    if let Some(n) = &s.data_notice {
        o.push_str(&format!("!! {n}\n"));
    }
    o
}

/// The short column header of a test.
pub fn short_name(t: TestId) -> &'static str {
    match t {
        TestId::CsectT => "csect t",
        TestId::BwCdaT => "BW-CDA t",
        TestId::PatellZ => "Patell z",
        TestId::BmpT => "BMP t",
        TestId::KpBmpT => "KP t",
        TestId::CorradoZ => "Corrado",
        TestId::GrankT => "GRANK t",
        TestId::GenSignZ => "GenSign",
        TestId::SignZ => "Sign z",
        TestId::WilcoxonZ => "Wilcoxon",
        TestId::Bootstrap => "Boot t",
        TestId::SkewT => "skew t",
        TestId::SkewTBhar => "skew BHAR",
        TestId::VolLnfT => "lnF t",
        TestId::VolSignZ => "F sign",
        TestId::VolWilcoxonZ => "F Wilcox",
        TestId::VolChi2 => "chi2",
    }
}

/// A test statistic with its significance marks, `n/a` when undefined, `-` when not run.
pub fn cell(t: Option<&TestOutcome>) -> String {
    match t {
        Some(t) if t.stat.is_finite() => format!("{:.2}{}", t.stat, stars(t.p_adj.unwrap_or(t.p))),
        Some(_) => "n/a".into(),
        None => "-".into(),
    }
}

/// One group's CAAR table: a row per CAR window and day 0, a column per test.
pub fn render_group(g: &GroupResult, u: &Units) -> String {
    let mut o = String::new();
    let rbar = if g.rbar.is_finite() { format!("{:.3}", g.rbar) } else { "n/a".into() };
    o.push_str(&format!(
        "\nAcross events: {} (N={}) | r-bar={rbar} ({} pairs) | p-hat={:.3}\n",
        g.group, g.n, g.rbar_pairs, g.p_hat
    ));
    o.push_str(&format!("  {:<9} {:>9}", "window", u.caar()));
    let (mean_tests, vol_tests): (Vec<TestId>, Vec<TestId>) = TestId::ALL.iter().partition(|t| !t.is_volatility());
    for t in &mean_tests {
        o.push_str(&format!(" {:>9}", short_name(*t)));
    }
    o.push('\n');
    let mut rows: Vec<(String, f64, &crate::summary::TestMap)> = Vec::new();
    if let Some(d0) = g.days.iter().find(|d| d.day == 0) {
        rows.push((format!("{} day 0", u.aar()), d0.aar, &d0.tests));
    }
    for w in &g.windows {
        rows.push((win(w.window), w.caar, &w.tests));
    }
    for (label, v, tests) in rows {
        o.push_str(&format!("  {:<9} {:>9}", label, u.value(v)));
        for t in &mean_tests {
            o.push_str(&format!(" {:>9}", cell(tests.get(t))));
        }
        o.push('\n');
    }
    // Volatility of each window: the tests of abnormal variance (an increase is the alternative).
    o.push_str(&format!("  {:<9} {:>9}", "volatility", ""));
    for t in &vol_tests {
        o.push_str(&format!(" {:>9}", short_name(*t)));
    }
    o.push('\n');
    for w in &g.windows {
        o.push_str(&format!("  {:<9} {:>9}", win(w.window), ""));
        for t in &vol_tests {
            o.push_str(&format!(" {:>9}", cell(w.tests.get(t))));
        }
        o.push('\n');
    }
    if let Some(d) = &g.garch_dummies {
        let parts: Vec<String> = d
            .tests
            .iter()
            .map(|(id, t)| match d.means[id] {
                m if m.is_finite() => format!("{id} {} (mean {m:.3e})", cell(Some(t))),
                _ => format!("{id} {}", cell(Some(t))),
            })
            .collect();
        o.push_str(&format!(
            "  GARCH dummies, N={} ({} left out: at a bound, not converged or without standard errors): {}\n",
            d.n,
            d.left_out,
            parts.join(" | ")
        ));
    }
    o
}

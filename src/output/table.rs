//! The human summary printed on the terminal: what was studied, under which conventions, each
//! event with its day 0 and its CARs with t, p and significance marks, and the exclusions.

use chrono::{Datelike, NaiveDate};

use crate::summary::{stars, Summary};

fn pct(x: f64) -> String {
    format!("{:+.2}%", 100.0 * x)
}

fn weekday(d: &str) -> String {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").map(|d| format!(" ({})", d.weekday())).unwrap_or_default()
}

fn win(w: (i32, i32)) -> String {
    let f = |x: i32| if x > 0 { format!("+{x}") } else { x.to_string() };
    format!("[{},{}]", f(w.0), f(w.1))
}

/// Renders the terminal summary; `written` lists the output folder and files when saved.
pub fn render(s: &Summary, written: Option<(&str, &[&str])>) -> String {
    let mut o = String::new();
    let c = &s.config;
    o.push_str(&format!("eventstudy {} | study {}\n", s.tool.version, s.study));
    if let Some(n) = &s.data_notice {
        o.push_str(&format!("!! {n}\n"));
    }
    o.push_str(&format!(
        "Market model on {} | {} returns | estimation {} | event window {}\n",
        c.market,
        match c.returns {
            crate::config::ReturnKind::Simple => "simple",
            crate::config::ReturnKind::Log => "log",
        },
        win(c.estimation),
        win(c.window)
    ));
    o.push_str("Conventions: s^2 = SSR/(M-2) | Var(CAR) exact forecast-error variance | t with M-2 df | two-sided p\n");
    let prices: Vec<String> = s
        .inputs
        .iter()
        .filter(|i| i.role != "events")
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
        if e.status != "ok" {
            o.push_str(&format!(
                "  event {}{} | {} | EXCLUDED ({})\n",
                e.event_date,
                weekday(&e.event_date),
                day0,
                e.reason.as_deref().unwrap_or("")
            ));
            for n in &e.notes {
                o.push_str(&format!("  {n}\n"));
            }
            continue;
        }
        let m = e.model.as_ref().expect("ok events have a model");
        o.push_str(&format!(
            "  event {}{} -> {} | M={} alpha={:+.5} beta={:.3} s={:.2}% R2={:.2}\n",
            e.event_date,
            weekday(&e.event_date),
            day0,
            m.n_obs,
            m.alpha,
            m.beta,
            100.0 * m.sigma,
            m.r_squared
        ));
        o.push_str(&format!("  {:<9} {:>9} {:>8} {:>7} {:>8}\n", "window", "CAR", "se", "t", "p"));
        for r in &e.car {
            o.push_str(&format!(
                "  {:<9} {:>9} {:>8} {:>7.2} {:>8.4} {}\n",
                win(r.window),
                pct(r.car),
                format!("{:.2}%", 100.0 * r.se),
                r.t,
                r.p,
                stars(r.p)
            ));
        }
        for n in &e.notes {
            o.push_str(&format!("  note: {n}\n"));
        }
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
    o.push_str("Significance: * p<0.10, ** p<0.05, *** p<0.01 (two-sided t test, M-2 df).\n");
    if let Some(n) = &s.data_notice {
        o.push_str(&format!("!! {n}\n"));
    }
    if let Some((dir, files)) = written {
        o.push_str(&format!("Wrote {dir}/: {}\n", files.join(", ")));
    }
    o
}

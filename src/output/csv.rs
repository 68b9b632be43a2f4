//! `ar.csv` (one row per event-window day) and `car.csv` (one row per event and CAR window),
//! in long form for pandas, polars, R or a spreadsheet. Numbers are written with full
//! precision; text cells that a spreadsheet would read as a formula are neutralised.

use std::path::Path;

use super::text::Text;
use super::{write_atomic, write_atomic_with, Exporter};
use crate::error::Result;
use crate::summary::{stars, IsoDate, Summary, TestId};

/// Quotes a text cell when needed, and prefixes `'` to text starting with `=`, `+`, `-` or `@`
/// so that a headline such as `=HYPERLINK(...)` stays text in a spreadsheet. Text that needs
/// neither is returned as it is, without a copy.
pub fn text_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let guarded = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !guarded && !s.contains([',', '"', '\n', '\r']) {
        return s.into();
    }
    let s = if guarded { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// Appends [`text_cell`] of `x`.
fn push_text(s: &mut impl std::fmt::Write, x: &str) {
    let _ = s.write_str(&text_cell(x));
}

/// A number cell; empty for NaN.
pub fn num(x: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, x);
    s
}

/// Appends a number cell (nothing for NaN) without a temporary string: the shortest text that
/// reads back as the same f64, as in summary.json (`0.0123`, `-1.5e-7`).
fn push_num(s: &mut impl std::fmt::Write, x: f64) {
    if x.is_finite() {
        let _ = s.write_str(zmij::Buffer::new().format_finite(x));
    }
}

/// The rows rendered before they are handed to the file's writer: more than its buffer, so
/// they go to the file without a copy into the buffer ([`super::WRITE_BUFFER`]).
const HANDED_OVER: usize = 1 << 18;

/// Hands the rows rendered in `s` to `w` once they are [`HANDED_OVER`] bytes or more.
fn hand_over(w: &mut impl std::io::Write, s: &mut Text) -> std::io::Result<()> {
    if s.len() >= HANDED_OVER {
        w.write_all(s.as_bytes())?;
        s.clear();
    }
    Ok(())
}

/// The text of `ar.csv`.
pub fn ar_csv(summary: &Summary) -> String {
    let mut v = Vec::new();
    write_ar_csv(summary, &mut v).expect("writing to memory");
    String::from_utf8(v).expect("UTF-8 cells")
}

/// Streams `ar.csv` into `w`, rendered an event at a time and handed over in pieces of at least
/// [`HANDED_OVER`] bytes (the file of a large study is the largest one it writes; it is never
/// held whole).
pub fn write_ar_csv(summary: &Summary, w: &mut impl std::io::Write) -> std::io::Result<()> {
    use std::fmt::Write;
    let mut s = Text::with_capacity(1 << 16);
    // A GARCH study adds each day's forecast conditional variance h.
    let with_h = summary.config.method.model == crate::config::ModelKind::Garch;
    s.put(b"event,ticker,kind,event_date,day0,day,date,ret,market_ret,expected,ar,car,t,car_se,sar2");
    s.put(if with_h { b",h\n" } else { b"\n" });
    for e in summary.events.iter().filter(|e| !e.ar.is_empty()) {
        // The event's cells, the same on each of its rows.
        let head = format!(
            "{},{},{},{},{},",
            text_cell(&e.id),
            text_cell(&e.ticker),
            text_cell(&e.kind),
            e.event_date,
            e.day0.as_deref().unwrap_or("")
        );
        for r in &e.ar {
            s.put(head.as_bytes());
            let _ = write!(s, "{},", r.day);
            s.put(IsoDate::new(r.date).as_str().as_bytes());
            for x in [r.ret, r.market_ret, r.expected, r.ar, r.car, r.t, r.car_se, r.sar2] {
                s.put(b",");
                push_num(&mut s, x);
            }
            if with_h {
                s.put(b",");
                push_num(&mut s, r.h.unwrap_or(f64::NAN));
            }
            s.put(b"\n");
        }
        hand_over(w, &mut s)?;
    }
    w.write_all(s.as_bytes())
}

/// The text of `car.csv`: computed events have one row per window, excluded ones a single row
/// with their reason, so no requested pair is missing.
pub fn car_csv(summary: &Summary) -> String {
    let mut v = Vec::new();
    write_car_csv(summary, &mut v).expect("writing to memory");
    String::from_utf8(v).expect("UTF-8 cells")
}

/// Streams `car.csv` into `w`, rendered an event at a time and handed over in pieces of at least
/// [`HANDED_OVER`] bytes.
pub fn write_car_csv(summary: &Summary, w: &mut impl std::io::Write) -> std::io::Result<()> {
    use std::fmt::Write;
    let mut s = Text::with_capacity(1 << 16);
    s.put(b"event,ticker,kind,event_date,event_time,day0,day0_rule,benchmark,status,reason,window_start,window_end,car,se,t,p,p_adj,stars,bhar,raw,market_raw,var_ratio,var_f,var_p,n_obs,headline\n");
    for e in &summary.events {
        let head = format!(
            "{},{},{},{},{},{},{},{},{},{}",
            text_cell(&e.id),
            text_cell(&e.ticker),
            text_cell(&e.kind),
            e.event_date,
            e.event_time,
            e.day0.as_deref().unwrap_or(""),
            e.day0_rule.map(|r| r.code()).unwrap_or(""),
            text_cell(e.benchmark.as_deref().unwrap_or("")),
            e.status,
            e.reason.map(|r| r.code()).unwrap_or("")
        );
        let n_obs = e.model.as_ref().map(|m| m.n_obs.to_string()).unwrap_or_default();
        if e.car.is_empty() {
            let _ = writeln!(s, "{head},,,,,,,,,,,,,,,{n_obs},{}", text_cell(&e.headline));
        }
        let mut tail = String::new();
        tail.push_str(&n_obs);
        tail.push(',');
        push_text(&mut tail, &e.headline);
        for c in &e.car {
            s.put(head.as_bytes());
            let _ = write!(s, ",{},{}", c.window.0, c.window.1);
            for x in [c.car, c.se, c.t, c.p] {
                s.put(b",");
                push_num(&mut s, x);
            }
            s.put(b",");
            if let Some(a) = c.p_adj {
                push_num(&mut s, a);
            }
            s.put(b",");
            s.put(stars(c.p_adj.unwrap_or(c.p)).as_bytes());
            for x in [c.bhar, c.raw, c.market_raw, c.var_ratio, c.var_f, c.var_p] {
                s.put(b",");
                push_num(&mut s, x);
            }
            s.put(b",");
            s.put(tail.as_bytes());
            s.put(b"\n");
        }
        hand_over(w, &mut s)?;
    }
    w.write_all(s.as_bytes())
}

/// The text of `aggregate.csv`.
pub fn aggregate_csv(summary: &Summary) -> String {
    let mut v = Vec::new();
    write_aggregate_csv(summary, &mut v).expect("writing to memory");
    String::from_utf8(v).expect("UTF-8 cells")
}

/// Streams `aggregate.csv` into `w`, rendered a group at a time and handed over in pieces of at
/// least [`HANDED_OVER`] bytes: one row per group, day or window, and test.
pub fn write_aggregate_csv(summary: &Summary, w: &mut impl std::io::Write) -> std::io::Result<()> {
    use std::fmt::Write;
    let mut s = Text::with_capacity(1 << 16);
    s.put(b"group,n,scope,day,window_start,window_end,aar,caar,test,stat,p,p_adj,dist\n");
    for g in &summary.aggregate {
        let mut group = String::new();
        push_text(&mut group, &g.group);
        let _ = write!(group, ",{},", g.n);
        // `where_` holds the scope, day, window and mean columns of one day or window.
        let mut rows = |where_: &str, tests: &crate::summary::TestMap| {
            for name in TestId::ALL {
                if let Some(t) = tests.get(name) {
                    s.put(group.as_bytes());
                    s.put(where_.as_bytes());
                    s.put(b",");
                    s.put(name.code().as_bytes());
                    s.put(b",");
                    push_num(&mut s, t.stat);
                    s.put(b",");
                    push_num(&mut s, t.p);
                    s.put(b",");
                    if let Some(a) = t.p_adj {
                        push_num(&mut s, a);
                    }
                    s.put(b",");
                    push_text(&mut s, &t.dist);
                    s.put(b"\n");
                }
            }
        };
        let mut where_ = String::new();
        for d in &g.days {
            where_.clear();
            let _ = write!(where_, "day,{},,,", d.day);
            push_num(&mut where_, d.aar);
            where_.push(',');
            push_num(&mut where_, d.caar);
            rows(&where_, &d.tests);
        }
        for win in &g.windows {
            where_.clear();
            let _ = write!(where_, "window,,{},{},,", win.window.0, win.window.1);
            push_num(&mut where_, win.caar);
            rows(&where_, &win.tests);
        }
        hand_over(w, &mut s)?;
    }
    w.write_all(s.as_bytes())
}

/// The text of `claims.csv`: one row per claim with its verdict, estimate and intervals.
pub fn claims_csv(summary: &Summary) -> String {
    let mut s = String::from(
        "id,claim,ticker,measure,window_start,window_end,expect,low,high,alpha,verdict,estimate,se,df,n,ci90_lo,ci90_hi,ci95_lo,ci95_hi,events,reason,source\n",
    );
    let opt = |x: Option<f64>| x.map(num).unwrap_or_default();
    for c in &summary.claims {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            text_cell(&c.id),
            text_cell(&c.claim),
            text_cell(&c.ticker),
            c.measure.code(),
            c.window.0,
            c.window.1,
            c.expect.code(),
            opt(c.low),
            opt(c.high),
            num(c.alpha),
            crate::output::table::verdict_name(c.verdict),
            num(c.estimate),
            opt(c.se),
            opt(c.df),
            c.n,
            num(c.ci90.0),
            num(c.ci90.1),
            num(c.ci95.0),
            num(c.ci95.1),
            text_cell(&c.events.join(";")),
            text_cell(&c.reason),
            text_cell(&c.source)
        ));
    }
    s
}

pub struct AggregateCsv;

impl Exporter for AggregateCsv {
    fn files(&self) -> Vec<&'static str> {
        vec!["aggregate.csv"]
    }
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()> {
        write_atomic_with(&dir.join("aggregate.csv"), |w| write_aggregate_csv(summary, w))
    }
}

pub struct ClaimsCsv;

impl Exporter for ClaimsCsv {
    fn files(&self) -> Vec<&'static str> {
        vec!["claims.csv"]
    }
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()> {
        write_atomic(&dir.join("claims.csv"), claims_csv(summary).as_bytes())
    }
}

pub struct ArCsv;
pub struct CarCsv;

impl Exporter for ArCsv {
    fn files(&self) -> Vec<&'static str> {
        vec!["ar.csv"]
    }
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()> {
        write_atomic_with(&dir.join("ar.csv"), |w| write_ar_csv(summary, w))
    }
}

impl Exporter for CarCsv {
    fn files(&self) -> Vec<&'static str> {
        vec!["car.csv"]
    }
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()> {
        write_atomic_with(&dir.join("car.csv"), |w| write_car_csv(summary, w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_and_quoted() {
        assert_eq!(text_cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assert_eq!(text_cell("-1 day"), "'-1 day");
        assert_eq!(text_cell("plain"), "plain");
        assert_eq!(text_cell("a,b"), "\"a,b\"");
    }
}

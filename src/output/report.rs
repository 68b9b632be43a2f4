//! `report.md` and `report.html`: the study as a document to read or to embed. Both are built
//! from one outline ([`Block`]s: headings, paragraphs, tables, figures) so they say the same
//! thing; the Markdown embeds the PNG charts by relative path, the HTML carries the SVG charts
//! inline and needs no network, no script and no font from the system (the chart text is glyph
//! outlines). The HTML reads on a laptop, on a phone (tables scroll sideways, charts scale to
//! the width) and on paper (figures are not split across pages).
//!
//! Every text that comes from the user's files (headlines, kinds, tickers) is escaped for the
//! format it goes into.

use std::path::Path;

use super::chart::{has_content, CHARTS};
use super::table::{cell, method_text, or_na, sci, short_name, win};
use super::units::Units;
use super::{escape_html, write_atomic, Exporter};
use crate::error::Result;
use crate::summary::{stars, Day0Rule, Status, Summary, TestId};

/// Long tables (per event, excluded, events) show this many rows; the CSVs have them all.
const MAX_ROWS: usize = 500;

/// One piece of the report.
enum Block {
    Heading(u8, String),
    Para(String),
    Notice(String),
    Table { head: Vec<String>, rows: Vec<Vec<String>> },
    Figure { stem: &'static str, caption: String },
    List(Vec<String>),
}

/// Writes `report.md` and `report.html` (after the charts, whose files it embeds).
pub struct Report {
    pub charts: bool,
}

impl Exporter for Report {
    fn files(&self) -> Vec<&'static str> {
        vec!["report.md", "report.html"]
    }
    fn write(&self, s: &Summary, dir: &Path) -> Result<()> {
        let blocks = outline(s, self.charts);
        write_atomic(&dir.join("report.md"), markdown(&blocks).as_bytes())?;
        write_atomic(&dir.join("report.html"), html(s, &blocks, dir)?.as_bytes())
    }
    fn reads_others(&self) -> bool {
        true
    }
}

fn title(s: &Summary) -> String {
    let bench = super::table::benchmarks_text(s);
    let uses_market = s.config.tickers_info.values().any(|i| i.benchmark.is_some());
    if uses_market {
        format!("Event study: {} vs {bench}", s.config.tickers.join(", "))
    } else {
        format!("Event study: {}", s.config.tickers.join(", "))
    }
}

fn outline(s: &Summary, charts: bool) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(Block::Heading(1, title(s)));
    if let Some(n) = &s.data_notice {
        b.push(Block::Notice(format!(
            "{n}. The numbers below illustrate the tool; they are not findings about these companies."
        )));
    }
    let ok = s.events.iter().filter(|e| e.status == Status::Ok).count();
    let excluded: usize = s.exclusions.values().sum();
    b.push(Block::Para(format!(
        "eventstudy {} · study {} · {ok} event-ticker pair{} computed, {excluded} excluded.",
        s.tool.version,
        s.study,
        if ok == 1 { "" } else { "s" }
    )));
    b.push(Block::Para(format!("{}.", method_text(s, ", "))));
    claims(&mut b, s);
    per_event(&mut b, s);
    across_events(&mut b, s);
    garch_dummies(&mut b, s);
    b.push(Block::Heading(2, "Charts".into()));
    if charts {
        let shown: Vec<&(&str, &str)> = CHARTS.iter().filter(|(n, _)| has_content(n, s)).collect();
        let u = Units::of(s);
        for (stem, caption) in shown {
            b.push(Block::Figure { stem, caption: u.caption(caption) });
        }
    } else {
        b.push(Block::Para("Charts were not drawn (--no-charts).".into()));
    }
    excluded_pairs(&mut b, s);
    events_as_written(&mut b, s);
    if !s.notes.is_empty() || !s.warnings.is_empty() {
        b.push(Block::Heading(2, "Notes and warnings".into()));
        b.push(Block::List(
            s.notes.iter().cloned().chain(s.warnings.iter().map(|w| format!("Warning: {w}"))).collect(),
        ));
    }
    data_files(&mut b, s);
    b
}

/// The verdict on each claim, first: what the data say about what the articles claim.
fn claims(b: &mut Vec<Block>, s: &Summary) {
    if s.claims.is_empty() {
        return;
    }
    b.push(Block::Heading(2, "Claims".into()));
    b.push(Block::Para(
        "Each claim of the claims file tested on the events it covers: supported when its 90% interval lies in the claimed band, contradicted when the interval rules the band out, inconclusive otherwise.".into(),
    ));
    let rows = s
        .claims
        .iter()
        .map(|c| {
            vec![
                crate::output::table::verdict_name(c.verdict).to_string(),
                if c.claim.is_empty() { c.id.clone() } else { format!("{} ({})", c.claim, c.id) },
                c.ticker.clone(),
                c.events.join(", "),
                c.reason.clone(),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec!["Verdict".into(), "Claim".into(), "Ticker".into(), "Events".into(), "Why".into()],
        rows,
    });
}

/// `text` with its first letter in capitals.
fn capitalise(text: &str) -> String {
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The CARs of each computed pair.
fn per_event(b: &mut Vec<Block>, s: &Summary) {
    let u = Units::of(s);
    b.push(Block::Heading(2, format!("{}s by event", capitalise(u.abnormal()))));
    b.push(Block::Para(format!(
        "{} over each window with its t statistic (forecast-error variance, M-k-1 df). Significance: * p<0.10, ** p<0.05, *** p<0.01.",
        u.car()
    )));
    let windows = &s.config.method.car_windows;
    let mut head = vec!["Event".to_string(), "Ticker".into(), "Kind".into(), "Day 0".into()];
    head.extend(windows.iter().map(|w| format!("{} {}", u.car(), win(*w))));
    let computed = s.events.iter().filter(|e| e.status == Status::Ok).count();
    let rows: Vec<Vec<String>> = s
        .events
        .iter()
        .filter(|e| e.status == Status::Ok)
        .take(MAX_ROWS)
        .map(|e| {
            let mut r = vec![e.id.clone(), e.ticker.clone(), e.kind.clone(), e.day0.clone().unwrap_or_default()];
            for w in windows {
                r.push(match e.car.iter().find(|c| c.window == *w) {
                    Some(c) => format!("{}{} (t {:.2})", u.value(c.car), stars(c.p_adj.unwrap_or(c.p)), c.t),
                    None => String::new(),
                });
            }
            r
        })
        .collect();
    if rows.is_empty() {
        b.push(Block::Para("No event could be computed; the exclusions below say why.".into()));
    } else {
        b.push(Block::Table { head, rows });
        if computed > MAX_ROWS {
            b.push(Block::Para(format!(
                "The first {MAX_ROWS} of {computed} computed pairs are shown; car.csv has all of them."
            )));
        }
    }
}

/// Each group's CAAR table with every test.
fn across_events(b: &mut Vec<Block>, s: &Summary) {
    if s.aggregate.is_empty() {
        return;
    }
    let u = Units::of(s);
    b.push(Block::Heading(2, "Across events".into()));
    b.push(Block::Para(format!(
        "{} of each group over each window, and on day 0 the average {}, with every test (statistic and significance marks; n/a where a test is undefined, e.g. one event).",
        u.caar(),
        u.abnormal()
    )));
    let shown: Vec<TestId> = TestId::ALL
        .iter()
        .copied()
        .filter(|t| (!t.is_resampled() || s.config.tests.bootstrap > 0) && !t.is_volatility())
        .collect();
    let vol: Vec<TestId> = TestId::ALL.iter().copied().filter(|t| t.is_volatility()).collect();
    if s.aggregate.len() > crate::output::table::LISTED_GROUPS {
        b.push(Block::Para(crate::output::table::more_groups(s.aggregate.len())));
    }
    for g in s.aggregate.iter().take(crate::output::table::LISTED_GROUPS) {
        b.push(Block::Heading(3, format!("{} (N = {})", g.group, g.n)));
        let mut head = vec!["Window".to_string(), u.caar().into()];
        head.extend(shown.iter().map(|t| short_name(*t).to_string()));
        let mut rows = Vec::new();
        let mut row = |label: String, v: f64, tests: &crate::summary::TestMap| {
            let mut r = vec![label, u.value(v)];
            r.extend(shown.iter().map(|t| cell(tests.get(t))));
            rows.push(r);
        };
        if let Some(d0) = g.days.iter().find(|d| d.day == 0) {
            row(format!("{} day 0", u.aar()), d0.aar, &d0.tests);
        }
        for w in &g.windows {
            row(win(w.window), w.caar, &w.tests);
        }
        b.push(Block::Table { head, rows });
        let mut head = vec!["Window".to_string(), "Volatility: mean var_ratio".into()];
        head.extend(vol.iter().map(|t| short_name(*t).to_string()));
        let rows = g
            .windows
            .iter()
            .map(|w| {
                let mut r = vec![win(w.window), format!("{:.2}", w.mean_var_ratio)];
                r.extend(vol.iter().map(|t| cell(w.tests.get(t))));
                r
            })
            .collect();
        b.push(Block::Table { head, rows });
    }
}

/// The GARCH event-dummy model (`--garch-dummies`): each event's dummies, then each group's
/// cross-sectional tests.
fn garch_dummies(b: &mut Vec<Block>, s: &Summary) {
    let fits: Vec<&crate::summary::EventResult> = s.events.iter().filter(|e| e.garch_dummies.is_some()).collect();
    if fits.is_empty() {
        return;
    }
    let u = Units::of(s);
    b.push(Block::Heading(2, "GARCH event dummies".into()));
    b.push(Block::Para(format!(
        "Per event, a GARCH(1,1) market model over the estimation and event windows with a mean dummy gamma on day 0 and a variance dummy delta on days 0 to {}; h0 is day 0's conditional variance without the event. Standard errors from the Hessian (gamma's robust one is degenerate). Fits that did not converge or sit at a bound are left out of the tests.",
        s.config.method.vol_days.unwrap_or(5)
    )));
    let head = ["Event", "Ticker", "gamma (se)", "gamma/sqrt(h0)", "delta (se)", "delta/h0", "h0", "Used"];
    let rows: Vec<Vec<String>> = fits
        .iter()
        .take(MAX_ROWS)
        .map(|e| {
            let g = e.garch_dummies.as_ref().expect("filtered");
            vec![
                e.id.clone(),
                e.ticker.clone(),
                format!("{} ({})", or_na(g.gamma, &|v| u.value(v)), or_na(g.gamma_se, &|v| u.se(v))),
                or_na(g.gamma / g.h0.sqrt(), &|v| format!("{v:.2}")),
                format!("{} ({})", or_na(g.delta, &sci), or_na(g.delta_se, &sci)),
                or_na(g.delta / g.h0, &|v| format!("{v:+.2}")),
                or_na(g.h0, &sci),
                g.note.clone().unwrap_or_else(|| "yes".into()),
            ]
        })
        .collect();
    b.push(Block::Table { head: head.iter().map(|h| h.to_string()).collect(), rows });
    let rows: Vec<Vec<String>> = s
        .aggregate
        .iter()
        .take(crate::output::table::LISTED_GROUPS)
        .filter_map(|g| g.garch_dummies.as_ref().map(|d| (g, d)))
        .flat_map(|(g, d)| {
            d.tests.iter().map(move |(id, t)| {
                vec![
                    g.group.clone(),
                    format!("{} ({} left out)", d.n, d.left_out),
                    id.to_string(),
                    or_na(d.means[id], &sci),
                    cell(Some(t)),
                    or_na(t.p, &|v| format!("{v:.4}")),
                ]
            })
        })
        .collect();
    let head = ["Group", "N used", "Test", "Mean", "t", "p"];
    b.push(Block::Table { head: head.iter().map(|h| h.to_string()).collect(), rows });
}

/// The excluded pairs with their reasons.
fn excluded_pairs(b: &mut Vec<Block>, s: &Summary) {
    let n_ex = s.events.iter().filter(|e| e.status != Status::Ok).count();
    let ex: Vec<Vec<String>> = s
        .events
        .iter()
        .filter(|e| e.status != Status::Ok)
        .take(MAX_ROWS)
        .map(|e| {
            vec![
                e.id.clone(),
                e.ticker.clone(),
                e.reason.map(|r| r.code().to_string()).unwrap_or_default(),
                e.notes.join(" "),
            ]
        })
        .collect();
    if !ex.is_empty() {
        b.push(Block::Heading(2, "Excluded".into()));
        b.push(Block::Table { head: vec!["Event".into(), "Ticker".into(), "Reason".into(), "Why".into()], rows: ex });
        if n_ex > MAX_ROWS {
            b.push(Block::Para(format!(
                "The first {MAX_ROWS} of {n_ex} excluded pairs are shown; car.csv and summary.json have all of them."
            )));
        }
    }
}

/// The events as written in the events file, once each.
fn events_as_written(b: &mut Vec<Block>, s: &Summary) {
    b.push(Block::Heading(2, "Events".into()));
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for e in &s.events {
        if e.day0_rule == Some(Day0Rule::Chain) || !seen.insert(&e.id) || rows.len() >= MAX_ROWS {
            continue;
        }
        rows.push(vec![e.id.clone(), e.event_time.clone(), e.kind.clone(), e.headline.clone(), e.source.clone()]);
    }
    b.push(Block::Table {
        head: vec!["Event".into(), "When".into(), "Kind".into(), "Headline".into(), "Source".into()],
        rows,
    });
}

/// Every input file with its checksum.
fn data_files(b: &mut Vec<Block>, s: &Summary) {
    b.push(Block::Heading(2, "Data".into()));
    let rows = s
        .inputs
        .iter()
        .take(MAX_ROWS)
        .map(|i| {
            vec![
                i.role.code().to_string(),
                i.ticker.clone().unwrap_or_default(),
                i.path.clone(),
                i.price_column.clone().unwrap_or_default(),
                match (&i.first_date, &i.last_date) {
                    (Some(a), Some(z)) => format!("{a} to {z}"),
                    _ => String::new(),
                },
                i.sha256.chars().take(16).collect::<String>() + "…",
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec!["Role".into(), "Ticker".into(), "File".into(), "Column".into(), "Dates".into(), "SHA-256".into()],
        rows,
    });
    if s.inputs.len() > MAX_ROWS {
        b.push(Block::Para(format!("The first {MAX_ROWS} of {} input files are shown.", s.inputs.len())));
    }
    b.push(Block::Para(
        "Every number is in summary.json (with the full SHA-256 of each input and every option), ar.csv, car.csv and aggregate.csv next to this report.".into(),
    ));
}

/// Escapes text for Markdown: Markdown punctuation and the HTML-significant `<`, `>` and `&`
/// with a backslash (CommonMark shows a backslash-escaped punctuation character as itself, so
/// `Baidu's` stays `Baidu's` and no entity is shown literally), line breaks as spaces (a table
/// cell is one line).
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '<' | '>' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn markdown(blocks: &[Block]) -> String {
    let mut o = String::new();
    for b in blocks {
        match b {
            Block::Heading(l, t) => o.push_str(&format!("{} {}\n\n", "#".repeat(*l as usize), md(t))),
            Block::Para(t) => o.push_str(&format!("{}\n\n", md(t))),
            Block::Notice(t) => o.push_str(&format!("> **{}**\n\n", md(t))),
            Block::List(items) => {
                for i in items {
                    o.push_str(&format!("- {}\n", md(i)));
                }
                o.push('\n');
            }
            Block::Table { head, rows } => {
                o.push_str(&format!("| {} |\n", head.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | ")));
                o.push_str(&format!("|{}\n", head.iter().map(|_| "---|").collect::<String>()));
                for r in rows {
                    o.push_str(&format!("| {} |\n", r.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")));
                }
                o.push('\n');
            }
            Block::Figure { stem, caption } => {
                o.push_str(&format!("![{}]({stem}.png)\n\n*{}* ([SVG]({stem}.svg))\n\n", md(caption), md(caption)));
            }
        }
    }
    o
}

const CSS: &str = "
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; margin: 0; color: #1a1a1a; background: #fff; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; margin: 0.6rem 0; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.2rem; }
.notice { border-left: 5px solid #be2814; background: #fdf0ee; color: #8a1c0e; padding: 0.6rem 0.9rem; font-weight: 600; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0.6rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #f4f6f8; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
figure { margin: 1.2rem 0 2rem; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #444; margin-top: 0.4rem; }
@media (max-width: 640px) { main { padding: 0.6rem; } h1 { font-size: 1.3rem; } table { font-size: 0.8rem; } }
@media print { main { max-width: none; padding: 0; } .table-wrap { overflow: visible; } figure, table { break-inside: avoid; } h2, h3 { break-after: avoid; } a { color: inherit; } }
";

/// A cell is right-aligned when it holds a number (possibly with a sign, %, stars or a t).
fn numeric(c: &str) -> bool {
    let c = c.trim();
    !c.is_empty()
        && (c.starts_with(['+', '-']) || c.chars().next().is_some_and(|ch| ch.is_ascii_digit()) || c == "n/a")
        && !c.contains(' ')
        || c.contains("% (t ")
}

/// The SVG of a chart, sized by the page: fixed width and height become a scalable viewBox.
fn inline_svg(svg: &str, label: &str) -> String {
    let Some(start) = svg.find("<svg ") else { return String::new() };
    let svg = &svg[start..];
    let end = svg.find('>').unwrap_or(0);
    let mut tag = svg[..end].to_string();
    for attr in ["width", "height"] {
        if let Some(i) = tag.find(&format!(" {attr}=\"")) {
            if let Some(j) = tag[i + attr.len() + 3..].find('"') {
                tag.replace_range(i..i + attr.len() + 4 + j, "");
            }
        }
    }
    format!("{tag} role=\"img\" aria-label=\"{}\"{}", escape_html(label), &svg[end..])
}

fn html(s: &Summary, blocks: &[Block], dir: &Path) -> Result<String> {
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str(&format!("<meta name=\"generator\" content=\"eventstudy {}\">\n", escape_html(&s.tool.version)));
    o.push_str(&format!("<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n", escape_html(&title(s))));
    for b in blocks {
        match b {
            Block::Heading(l, t) => o.push_str(&format!("<h{l}>{}</h{l}>\n", escape_html(t))),
            Block::Para(t) => o.push_str(&format!("<p>{}</p>\n", escape_html(t))),
            Block::Notice(t) => o.push_str(&format!("<p class=\"notice\" role=\"note\">{}</p>\n", escape_html(t))),
            Block::List(items) => {
                o.push_str("<ul>\n");
                for i in items {
                    o.push_str(&format!("<li>{}</li>\n", escape_html(i)));
                }
                o.push_str("</ul>\n");
            }
            Block::Table { head, rows } => {
                o.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
                for h in head {
                    o.push_str(&format!("<th scope=\"col\">{}</th>", escape_html(h)));
                }
                o.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    o.push_str("<tr>");
                    for c in r {
                        let class = if numeric(c) { " class=\"num\"" } else { "" };
                        o.push_str(&format!("<td{class}>{}</td>", escape_html(c)));
                    }
                    o.push_str("</tr>\n");
                }
                o.push_str("</tbody></table></div>\n");
            }
            Block::Figure { stem, caption } => {
                let path = dir.join(format!("{stem}.svg"));
                let svg = std::fs::read_to_string(&path).map_err(|e| {
                    crate::error::Error::Output(format!(
                        "{}: cannot read the chart for report.html: {e}",
                        path.display()
                    ))
                })?;
                o.push_str(&format!(
                    "<figure id=\"{stem}\">\n{}\n<figcaption>{} (<code>{stem}.png</code>, <code>{stem}.svg</code>)</figcaption>\n</figure>\n",
                    inline_svg(&svg, caption),
                    escape_html(caption)
                ));
            }
        }
    }
    o.push_str("</main>\n</body>\n</html>\n");
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(md("a|b <script> *x* [l](u)"), "a\\|b \\<script\\> \\*x\\* \\[l\\](u)");
        assert_eq!(md("line\nbreak"), "line break");
    }

    #[test]
    fn inline_svg_scales_with_the_page() {
        let s = "<svg xmlns:xlink=\"x\" width=\"1500\" height=\"800\" viewBox=\"0 0 1500 800\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let out = inline_svg(s, "CAR <chart>");
        assert!(out.starts_with("<svg xmlns:xlink=\"x\" viewBox=\"0 0 1500 800\""), "{out}");
        assert!(!out.contains("width=\"1500\"") && !out.contains("height=\"800\""));
        assert!(out.contains("aria-label=\"CAR &lt;chart&gt;\""));
    }
}

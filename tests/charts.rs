//! Charts and reports as a reader gets them: every chart of the bundled three-ticker study
//! decodes at the size asked for and shows something, the SVGs need no fonts, and report.md /
//! report.html embed them with stable names and without any network access.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{copy_dir, repo, Image};

const CHARTS: [&str; 8] = ["car", "ar", "caar", "cross", "price", "scatter", "vol", "claims"];

fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    tmp
}

fn run(ws: &Path, args: &[&str]) -> PathBuf {
    let out = Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(ws)
        .args(["--ticker", "BABA,AAPL,BIDU", "--bootstrap", "0"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    common::study_dir(&ws.join("notebooks-out"), "BABA-AAPL-BIDU_vs_SPY")
}

#[test]
fn every_chart_of_the_three_ticker_study_decodes_at_the_asked_size_and_is_not_blank() {
    let ws = workspace();
    let dir = run(ws.path(), &["--chart-size", "1200x900"]);
    for c in CHARTS {
        let img = Image::open(&dir.join(format!("{c}.png")));
        assert_eq!((img.width, img.height), (1200, 900), "{c}.png size");
        assert!(img.colours(200) >= 50, "{c}.png has too few colours to be a chart");
        let ink = img.ink();
        assert!(ink > 0.04 && ink < 0.6, "{c}.png: {:.1}% of the pixels are drawn", 100.0 * ink);
        // The red "simulated sample data" notice is on every chart of the bundled data.
        assert!(img.count_near([190, 40, 20], 12) > 200, "{c}.png: the simulated-data notice is missing");

        let svg = std::fs::read_to_string(dir.join(format!("{c}.svg"))).unwrap();
        assert!(svg.contains("width=\"1200\" height=\"900\""), "{c}.svg size");
        assert!(!svg.contains("<text"), "{c}.svg must not depend on the viewer's fonts");
        assert!(svg.contains("<use xlink:href=\"#esg"), "{c}.svg draws its text from glyph outlines");
        assert!(svg.contains("aria-label=\"SIMULATED SAMPLE DATA"), "{c}.svg carries the notice");
        assert!(svg.contains("aria-label=\"Data: SPY (Adj Close), BABA (Adj Close), AAPL (Adj Close), BIDU (Adj Close); events data/events.csv"), "{c}.svg names its data");
    }
    // Content checks a reader would make: the cross-ticker chart has the three tickers' colours,
    // the price chart marks the confirmation in its colour, the AR chart stars significant days.
    let cross = Image::open(&dir.join("cross.png"));
    for (t, rgb) in [("BABA", [0, 114, 178]), ("AAPL", [213, 94, 0]), ("BIDU", [0, 158, 115])] {
        assert!(cross.count_near(rgb, 10) > 300, "cross.png: no {t} line");
    }
    let cross_svg = std::fs::read_to_string(dir.join("cross.svg")).unwrap();
    assert!(
        cross_svg.contains("aria-label=\"2025-02-13 (confirmation): Alibaba chairman"),
        "the 2025-02-13 confirmation panel"
    );
    let price = Image::open(&dir.join("price.png"));
    assert!(price.count_near([0, 158, 115], 10) > 50, "price.png: confirmation markers");
    let ar = std::fs::read_to_string(dir.join("ar.svg")).unwrap();
    assert!(ar.contains("aria-label=\"*\""), "ar.svg stars the significant days");
    assert!(ar.contains("aria-label=\"AR (%)\""), "ar.svg: axis label with unit");
    let scatter = std::fs::read_to_string(dir.join("scatter.svg")).unwrap();
    assert!(
        scatter.contains("aria-label=\"SPY daily return (%)\"")
            && scatter.contains("aria-label=\"BABA daily return (%)\"")
    );
}

#[test]
fn default_charts_are_1500_wide_and_grow_with_the_panels() {
    let ws = workspace();
    let dir = run(ws.path(), &[]);
    let car = Image::open(&dir.join("car.png"));
    let caar = Image::open(&dir.join("caar.png"));
    assert_eq!(car.width, 1500);
    // 14 pairs in 5 rows of 3, 4 groups in 2 rows.
    assert!(car.height > caar.height + 900, "{} vs {}", car.height, caar.height);
    let svg = std::fs::read_to_string(dir.join("car.svg")).unwrap();
    assert!(svg.contains(&format!("width=\"1500\" height=\"{}\"", car.height)), "PNG and SVG share one size");
}

/// Regression: with one ticker the cross-ticker chart was titled "CAR of - around each shared
/// event" with a lone "day 0" legend.
#[test]
fn a_single_ticker_study_says_it_has_no_shared_event() {
    let ws = workspace();
    let out = Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(ws.path())
        .args(["--ticker", "BABA", "--bootstrap", "0"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let svg =
        std::fs::read_to_string(common::study_dir(&ws.path().join("notebooks-out"), "BABA_vs_SPY").join("cross.svg"))
            .unwrap();
    assert!(svg.contains("aria-label=\"One event across tickers: no shared event in this study\""));
    assert!(!svg.contains("CAR of -") && !svg.contains("aria-label=\"day 0\""));
    let md =
        std::fs::read_to_string(common::study_dir(&ws.path().join("notebooks-out"), "BABA_vs_SPY").join("report.md"))
            .unwrap();
    assert!(!md.contains("(cross.png)"), "the report leaves the empty chart out");
}

#[test]
fn chart_size_must_be_width_x_height() {
    let ws = workspace();
    for bad in ["1200", "1200x", "axb", "100x100", "1200x99999"] {
        let out = Command::cargo_bin("eventstudy")
            .unwrap()
            .current_dir(ws.path())
            .args(["--ticker", "BABA", "--chart-size", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("'{bad}' is not a chart size")) && err.contains("e.g. 1200x800"), "{err}");
    }
    assert!(!ws.path().join("notebooks-out").exists(), "nothing is written on a usage error");
}

#[test]
fn report_md_embeds_the_charts_by_relative_path_with_the_tables() {
    let ws = workspace();
    let dir = run(ws.path(), &[]);
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.starts_with("# Event study: BABA, AAPL, BIDU vs SPY\n"), "{}", &md[..80]);
    assert!(md.contains("> **SIMULATED SAMPLE DATA"));
    for c in CHARTS {
        assert!(md.contains(&format!("]({c}.png)")), "report.md embeds {c}.png");
        assert!(dir.join(format!("{c}.png")).is_file());
    }
    // The per-event table: BABA's +9.94% CAR[-1,+1] on the confirmation, significant at 1%.
    let row = md.lines().find(|l| l.starts_with("| 2025-02-13-tsai-confirms | BABA |")).expect("BABA confirmation row");
    let car = std::fs::read_to_string(dir.join("car.csv")).unwrap();
    let csv_row =
        car.lines().find(|l| l.starts_with("2025-02-13-tsai-confirms,BABA,") && l.contains(",-1,1,")).unwrap();
    let value: f64 = csv_row.split(',').nth(12).unwrap().parse().unwrap();
    assert!(row.contains(&format!("{:+.2}%\\*\\*\\*", 100.0 * value)), "{row} vs car.csv {value}");
    assert!(md.contains("### all (N = 14)") && md.contains("| Window | CAAR | csect t |"));
}

#[test]
fn report_html_is_self_contained() {
    let ws = workspace();
    let dir = run(ws.path(), &[]);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<meta name=\"viewport\""));
    assert_eq!(html.matches("<figure id=").count(), 8);
    assert_eq!(html.matches("<svg ").count(), 8, "the eight charts inline");
    for forbidden in ["<script", "<link", "<img", "@import", "url(", "src=\""] {
        assert!(!html.contains(forbidden), "report.html must not load anything: {forbidden}");
    }
    // The only URLs are the SVG and XLink namespace names, which are never fetched.
    let urls: Vec<&str> = html.match_indices("http").map(|(i, _)| &html[i..(i + 40).min(html.len())]).collect();
    assert!(urls.iter().all(|u| u.starts_with("http://www.w3.org/")), "{urls:?}");
    assert!(html.contains("@media print") && html.contains("@media (max-width"));
}

#[test]
fn no_charts_skips_the_images_and_says_so_in_the_report() {
    let ws = workspace();
    let dir = run(ws.path(), &["--no-charts"]);
    for c in CHARTS {
        assert!(!dir.join(format!("{c}.png")).exists() && !dir.join(format!("{c}.svg")).exists(), "{c}");
    }
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("Charts were not drawn (--no-charts)."));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!html.contains("<svg"));
}

/// Regression guard: a headline with markup must not become markup in the report.
#[test]
fn event_text_is_escaped_in_the_reports() {
    let ws = workspace();
    let ev = ws.path().join("ev.csv");
    std::fs::write(&ev, "id,date,ticker,kind,headline\na,2025-02-13,BABA,x|y,<img src=x onerror=alert(1)> **bold** [l](javascript:alert(1))\n").unwrap();
    let out = Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(ws.path())
        .args(["--ticker", "BABA", "--events", "ev.csv", "--bootstrap", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dir = common::study_dir(&ws.path().join("notebooks-out"), "BABA_vs_SPY");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!html.contains("<img") && html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("\\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* \\[l\\](javascript:alert(1))"), "{md}");
    // Regression: an apostrophe was written as the entity &#39;, which Markdown viewers show as is.
    assert!(!md.contains("&#39;") && !md.contains("&amp;"), "{md}");
    assert!(md.contains("| a | BABA | x\\|y |"), "a pipe in a cell cannot split the table");
}

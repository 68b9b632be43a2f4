//! report.html opened in headless Chromium, as a reader's browser would: it renders, offline,
//! with the eight charts visible, on a laptop-sized and a phone-sized window.
//!
//! Needs Debian's `chromium` (installed by .ci/run); without it the test says so and skips.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Proc;

use assert_cmd::Command;
use common::{copy_dir, repo, Image};

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")
            .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(name)).find(|p| p.is_file()))
    });
    if found.is_none() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping report_browser: no chromium on PATH (.ci/run installs Debian's chromium)"
        );
    }
    found
}

/// Screenshot of `page` at `width` x `height` CSS pixels, in a fresh profile, with no network.
fn screenshot(chrome: &Path, page: &Path, width: u32, height: u32, out: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let status = Proc::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},{height}"))
        .arg("--hide-scrollbars")
        .arg(format!("--screenshot={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.is_file(), "chromium wrote no screenshot: {}", String::from_utf8_lossy(&status.stderr));
}

/// The DOM after Chromium has parsed and laid out the page.
fn dump_dom(chrome: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Proc::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn report_html_renders_in_headless_chromium_with_the_charts_visible() {
    let Some(chrome) = chromium() else { return };
    let ws = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &ws.path().join("data"));
    let out = Command::cargo_bin("eventstudy")
        .unwrap()
        .current_dir(ws.path())
        .args(["--ticker", "BABA,AAPL,BIDU", "--bootstrap", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = common::study_dir(&ws.path().join("notebooks-out"), "BABA-AAPL-BIDU_vs_SPY").join("report.html");

    let dom = dump_dom(&chrome, &page);
    assert!(
        dom.contains("<h1>Event study: BABA, AAPL, BIDU vs SPY</h1>"),
        "the page parsed: {}",
        &dom[..dom.len().min(400)]
    );
    assert_eq!(dom.matches("<svg ").count(), 8, "eight inline charts in the rendered DOM");

    // Laptop: the whole page in one tall window; the charts' colours must be on screen.
    let shot = ws.path().join("laptop.png");
    screenshot(&chrome, &page, 1280, 9000, &shot);
    let img = Image::open(&shot);
    assert_eq!(img.width, 1280);
    let accent = img.count_near([0, 114, 178], 14);
    let band = img.count_near([211, 227, 243], 6);
    let cross_orange = img.count_near([213, 94, 0], 14);
    assert!(accent > 5_000, "CAR lines visible ({accent} px)");
    assert!(band > 20_000, "confidence bands visible ({band} px)");
    assert!(cross_orange > 1_000, "the cross-ticker chart is visible ({cross_orange} px)");
    assert!(img.count_near([190, 40, 20], 20) > 500, "the simulated-data notice is visible");

    // Phone: the charts scale down to the width instead of overflowing.
    let phone = ws.path().join("phone.png");
    screenshot(&chrome, &page, 390, 9000, &phone);
    let img = Image::open(&phone);
    assert_eq!(img.width, 390);
    let phone_accent = img.count_near([0, 114, 178], 40);
    let phone_band = img.count_near([211, 227, 243], 8);
    assert!(
        phone_accent > 300 && phone_band > 5_000,
        "charts visible on a phone-sized window ({phone_accent} line px, {phone_band} band px)"
    );
}

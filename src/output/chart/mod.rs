//! Charts people paste into notes and notebooks. Each chart is drawn once through a generic
//! plotters backend and saved as both PNG and SVG, so the two files show the same content; text
//! is drawn from the embedded DejaVu Sans outlines ([`super::glyphs`]), so it reads the same on
//! a machine without fonts.
//!
//! Every chart has the same frame: a title saying what and which tickers, a subtitle with the
//! method and how to read the marks, a legend row when colours carry meaning, the "simulated
//! sample data" notice when the bundled sample is shown, and a footer naming the data. Charts
//! with one panel per event, group or ticker are small multiples: three columns, at most
//! [`MAX_PANELS`] panels (the subtitle says when some are left out; the CSVs have them all).
//!
//! The file names are stable (README.md, "Output contract"); a chart with nothing to show (no
//! computed event, no event with several tickers) is still written, with a sentence saying why.

mod ar;
mod caar;
mod car;
mod claims;
mod cross;
mod price;
mod scatter;
mod vol;

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

pub(crate) use super::glyphs::text_width;
use super::glyphs::{insert_svg_text, GlyphText, SvgText};
pub(crate) use super::units::Units;
use super::{write_atomic, Exporter};
use crate::error::{Error, Result};
use crate::summary::{Day0Rule, EventResult, InputRole, Status, Summary};

/// The font family name every chart asks for (always the embedded DejaVu Sans).
pub const FONT: &str = "sans-serif";
/// Small-multiple charts show at most this many panels.
pub const MAX_PANELS: usize = crate::summary::CHART_PANELS;
/// Width of every chart unless `--chart-size` says otherwise.
pub const DEFAULT_WIDTH: u32 = crate::config::options::DEFAULT_CHART_WIDTH;

/// The charts, in the order they are written and shown in the report: file stem and a short
/// description (used as the report's figure heading and the image's alternative text).
pub const CHARTS: &[(&str, &str)] = &[
    ("car", "Cumulative abnormal return (CAR) of each event with its 95% confidence band"),
    ("ar", "Daily abnormal returns around day 0, significant days marked"),
    ("caar", "Cumulative average abnormal return (CAAR) of each group with its 95% band"),
    ("cross", "One event across tickers: CAR paths side by side"),
    ("price", "Prices around the events, each event marked by kind"),
    ("scatter", "Estimation window: stock against benchmark returns with the fitted line"),
    ("vol", "Abnormal volatility: daily squared standardised abnormal returns against their 95% point"),
    ("claims", "Claims: each estimate with its 90% and 95% intervals against the claimed band"),
];

/// The files [`Charts`] writes, in the order of [`CHARTS`].
pub const CHART_FILES: &[&str] = &[
    "car.png",
    "car.svg",
    "ar.png",
    "ar.svg",
    "caar.png",
    "caar.svg",
    "cross.png",
    "cross.svg",
    "price.png",
    "price.svg",
    "scatter.png",
    "scatter.svg",
    "vol.png",
    "vol.svg",
    "claims.png",
    "claims.svg",
];

pub use crate::config::ChartSize;

// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
pub(crate) const ACCENT: RGBColor = RGBColor(0, 114, 178);
pub(crate) const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub(crate) const SKY: RGBColor = RGBColor(86, 180, 233);
pub(crate) const TEAL: RGBColor = RGBColor(0, 158, 115);
pub(crate) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub(crate) const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub(crate) const OLIVE: RGBColor = RGBColor(190, 170, 0);
pub(crate) const GREY: RGBColor = RGBColor(110, 110, 110);
pub(crate) const LIGHT_GRID: RGBColor = RGBColor(228, 228, 228);
pub(crate) const BAND: RGBColor = RGBColor(120, 170, 220);
pub(crate) const DAY0: RGBColor = RGBColor(200, 60, 40);
const NOTICE: RGBColor = RGBColor(190, 40, 20);
pub(crate) const MUTED: RGBColor = RGBColor(85, 85, 85);

/// Colours for series that carry a name (tickers): distinct, in this order.
pub(crate) const SERIES: &[RGBColor] = &[ACCENT, VERMILLION, TEAL, ORANGE, PURPLE, SKY, OLIVE, GREY, RGBColor(0, 0, 0)];

/// The colour of an event kind: the usual kinds keep theirs in every chart, others take the
/// remaining colours in order of appearance.
pub(crate) fn kind_color(kind: &str, all: &[String]) -> RGBColor {
    match kind {
        "rumor" | "rumour" => ORANGE,
        "report" => SKY,
        "confirmation" => TEAL,
        "denial" => VERMILLION,
        "regulatory" => PURPLE,
        "earnings" => ACCENT,
        _ => {
            let others: Vec<&String> = all
                .iter()
                .filter(|k| {
                    !["rumor", "rumour", "report", "confirmation", "denial", "regulatory", "earnings"]
                        .contains(&k.as_str())
                })
                .collect();
            let i = others.iter().position(|k| k.as_str() == kind).unwrap_or(0);
            [OLIVE, GREY, RGBColor(0, 0, 0), RGBColor(140, 90, 40)][i % 4]
        }
    }
}

pub(crate) fn draw_err<E: std::fmt::Display>(e: E) -> Error {
    Error::Output(format!("drawing a chart failed: {e}"))
}

/// A chart error with the file it was drawn into.
fn in_file(path: &Path) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Output(m) => Error::Output(format!("{}: {m}", path.display())),
        other => other,
    }
}

/// A legend entry: colour, how it is drawn, label.
#[derive(Debug, Clone)]
pub(crate) enum Mark {
    Line,
    Box,
    Dot,
    Band,
    Dashed,
}

/// What surrounds the panels.
pub(crate) struct Frame {
    pub title: String,
    pub subtitle: String,
    pub legend: Vec<(RGBColor, Mark, String)>,
    /// Panels in the body (0: one panel that fills it).
    pub panels: usize,
}

/// One chart: its frame and its body.
pub(crate) trait Chart {
    const NAME: &'static str;
    fn frame(&self, s: &Summary) -> Frame;
    /// Draws the body; `None` when the chart has nothing to show, with the sentence to print.
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>>;
}

/// Panel grid: up to 3 columns.
pub(crate) fn grid(n: usize) -> (usize, usize) {
    let cols = n.clamp(1, 3);
    let rows = n.max(1).div_ceil(cols);
    (rows, cols)
}

const TITLE_SIZE: f64 = 26.0;
const SUB_SIZE: f64 = 16.0;
const FOOT_SIZE: f64 = 14.0;
const FOOTER_H: u32 = 34;

/// Splits `text` into lines no wider than `width` pixels at `size`.
pub(crate) fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    wrap_sized(text, width, size, false)
}

fn wrap_sized(text: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let trial = if cur.is_empty() { word.to_string() } else { format!("{cur} {word}") };
        if !cur.is_empty() && text_width(&trial, size, bold) > width {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        } else {
            cur = trial;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// `text` cut with an ellipsis to fit `width` pixels at `size`.
pub(crate) fn fit(text: &str, width: f64, size: f64, bold: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    // A prefix wider than `width` cannot fit with "…", nor can a longer one: the search starts
    // below the first such prefix of 64, 128, 256, … characters (the whole text last), so that
    // a long text (a footer naming 3,000 price files) is not laid out whole, let alone at each
    // step.
    let mut hi = 64.min(chars.len());
    while text_width(&chars[..hi].iter().collect::<String>(), size, bold) <= width {
        if hi == chars.len() {
            return text.to_string();
        }
        hi = (2 * hi).min(chars.len());
    }
    let mut lo = 0;
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let t: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&t, size, bold) <= width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_string() + "…"
}

struct Header {
    title: Vec<String>,
    sub: Vec<String>,
    notice: Option<String>,
    legend: bool,
}

impl Header {
    fn new(f: &Frame, s: &Summary, width: u32) -> Header {
        let w = width as f64 - 40.0;
        Header {
            title: wrap_sized(&f.title, w, TITLE_SIZE, true).into_iter().take(2).collect(),
            sub: wrap(&f.subtitle, w, SUB_SIZE),
            notice: s.data_notice.clone(),
            legend: !f.legend.is_empty(),
        }
    }
    fn height(&self) -> u32 {
        14 + 34 * self.title.len() as u32
            + 22 * self.sub.len() as u32
            + if self.legend { 30 } else { 0 }
            + if self.notice.is_some() { 28 } else { 0 }
            + 10
    }
}

/// The pixel size of chart `f`.
fn chart_size(size: ChartSize, f: &Frame, s: &Summary) -> (u32, u32) {
    match size {
        ChartSize::Exact { width, height } => (width, height),
        ChartSize::Auto { width } => {
            let header = Header::new(f, s, width).height();
            let body = if f.panels <= 1 {
                (width as f64 * 0.36).round().max(420.0) as u32
            } else {
                let (rows, _) = grid(f.panels);
                rows as u32 * 320
            };
            (width, header + body + FOOTER_H)
        }
    }
}

/// Draws the frame and returns the body area.
fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    f: &Frame,
    s: &Summary,
) -> Result<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).map_err(draw_err)?;
    let (w, h) = root.dim_in_pixel();
    let hd = Header::new(f, s, w);
    let head_h = hd.height().min(h.saturating_sub(FOOTER_H + 60));
    let (top, rest) = root.split_vertically(head_h);
    let (body, foot) = rest.split_vertically(h.saturating_sub(head_h + FOOTER_H));
    let mut y = 14;
    for line in &hd.title {
        top.draw(&Text::new(
            line.clone(),
            (20, y),
            (FONT, TITLE_SIZE).into_font().style(FontStyle::Bold).color(&BLACK),
        ))
        .map_err(draw_err)?;
        y += 34;
    }
    for line in &hd.sub {
        top.draw(&Text::new(line.clone(), (20, y), (FONT, SUB_SIZE).into_font().color(&MUTED))).map_err(draw_err)?;
        y += 22;
    }
    if hd.legend {
        let mut x = 20;
        let cy = y + 12;
        for (color, mark, label) in &f.legend {
            draw_legend_mark(&top, (x, cy), *color, mark)?;
            top.draw(&Text::new(label.clone(), (x + 34, y + 3), (FONT, 15).into_font().color(&BLACK)))
                .map_err(draw_err)?;
            x += 34 + text_width(label, 15.0, false).ceil() as i32 + 26;
        }
        y += 30;
    }
    if let Some(n) = &hd.notice {
        top.draw(&Text::new(n.clone(), (20, y + 2), (FONT, 18).into_font().style(FontStyle::Bold).color(&NOTICE)))
            .map_err(draw_err)?;
    }
    let foot_text = fit(&footer(s), w as f64 - 40.0, FOOT_SIZE, false);
    foot.draw(&Text::new(foot_text, (20, 10), (FONT, FOOT_SIZE).into_font().color(&MUTED))).map_err(draw_err)?;
    Ok(body)
}

fn draw_legend_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, cy): (i32, i32),
    color: RGBColor,
    mark: &Mark,
) -> Result<()> {
    match mark {
        Mark::Line => area.draw(&PathElement::new(vec![(x, cy), (x + 26, cy)], color.stroke_width(3))),
        Mark::Dashed => {
            area.draw(&PathElement::new(vec![(x, cy), (x + 10, cy)], color.stroke_width(2))).map_err(draw_err)?;
            area.draw(&PathElement::new(vec![(x + 16, cy), (x + 26, cy)], color.stroke_width(2)))
        }
        Mark::Box => area.draw(&Rectangle::new([(x + 6, cy - 8), (x + 20, cy + 8)], color.filled())),
        Mark::Band => area.draw(&Rectangle::new([(x, cy - 7), (x + 26, cy + 7)], color.mix(0.35).filled())),
        Mark::Dot => area.draw(&Circle::new((x + 13, cy), 6, color.filled())),
    }
    .map_err(draw_err)
}

/// "Data: BABA (Adj Close), SPY (Adj Close) | eventstudy 0.1.0 | study BABA_vs_SPY".
fn footer(s: &Summary) -> String {
    let mut source: Vec<String> = s
        .price_inputs()
        .map(|i| format!("{} ({})", i.ticker.as_deref().unwrap_or(""), i.price_column.as_deref().unwrap_or("")))
        .collect();
    source.extend(s.inputs.iter().filter(|i| i.role == InputRole::Factors).map(|i| {
        let name = Path::new(&i.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        format!("factors {name}")
    }));
    let events = s.inputs.iter().find(|i| i.role == InputRole::Events).map(|i| i.path.clone()).unwrap_or_default();
    format!("Data: {}; events {} | eventstudy {} | study {}", source.join(", "), events, s.tool.version, s.study)
}

/// Draws chart `c` into `<dir>/<name>.png` and `<dir>/<name>.svg`.
fn render<C: Chart>(c: &C, s: &Summary, dir: &Path, size: ChartSize) -> Result<()> {
    let f = c.frame(s);
    let (w, h) = chart_size(size, &f, s);
    let png = dir.join(format!("{}.png", C::NAME));
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let root = GlyphText::raster(BitMapBackend::with_buffer(&mut pixels, (w, h))).into_drawing_area();
        draw_chart(c, &root, &f, s).map_err(in_file(&png))?;
        root.present().map_err(draw_err).map_err(in_file(&png))?;
    }
    write_atomic(&png, &encode_png(&pixels, w, h).map_err(in_file(&png))?)?;
    let svg_path = dir.join(format!("{}.svg", C::NAME));
    let mut svg = String::new();
    let text = Rc::new(RefCell::new(SvgText::default()));
    {
        let root = GlyphText::svg(SVGBackend::with_string(&mut svg, (w, h)), text.clone()).into_drawing_area();
        draw_chart(c, &root, &f, s).map_err(in_file(&svg_path))?;
        root.present().map_err(draw_err).map_err(in_file(&svg_path))?;
    }
    insert_svg_text(&mut svg, &text.borrow());
    write_atomic(&svg_path, svg.as_bytes())
}

/// The PNG file of an RGB image. Every row is filtered with Paeth (each byte less a prediction
/// from its left, upper and upper-left neighbours), chosen once rather than per row: trying
/// every filter on every row (the `image` crate's default) was half the time of writing a PNG,
/// and Paeth alone keeps the files within 4–7 % of that choice's size. Compression is
/// `fdeflate`'s fast mode, as before.
fn encode_png(pixels: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(pixels.len() / 8);
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgb);
    e.set_depth(png::BitDepth::Eight);
    e.set_compression(png::Compression::Fast);
    e.set_filter(png::FilterType::Paeth);
    e.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
    let encoded = e.write_header().and_then(|mut w| {
        w.write_image_data(pixels)?;
        w.finish()
    });
    encoded.map_err(|e| Error::Output(format!("cannot encode the PNG image: {e}")))?;
    Ok(out)
}

fn draw_chart<C: Chart, DB: DrawingBackend>(
    c: &C,
    root: &DrawingArea<DB, Shift>,
    f: &Frame,
    s: &Summary,
) -> Result<()> {
    let body = draw_frame(root, f, s)?;
    if let Some(why) = c.body(&body, s)? {
        body.draw(&Text::new(why, (40, 50), (FONT, 20).into_font().color(&MUTED))).map_err(draw_err)?;
    }
    Ok(())
}

/// The computed (event, ticker) pairs in study order; `chains` keeps the chain rows.
pub(crate) fn computed(s: &Summary, chains: bool) -> Vec<&EventResult> {
    s.events.iter().filter(|e| e.status == Status::Ok && (chains || e.day0_rule != Some(Day0Rule::Chain))).collect()
}

/// "; showing the first 24 of 120 (every one is in car.csv)" when panels are left out.
pub(crate) fn shown_note(n: usize, what: &str, file: &str) -> String {
    if n > MAX_PANELS {
        format!(" Showing the first {MAX_PANELS} of {n} {what}; all are in {file}.")
    } else {
        String::new()
    }
}

/// The tickers of `events`, in order of first appearance.
pub(crate) fn tickers_of(events: &[&EventResult]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    events.iter().filter(|e| seen.insert(e.ticker.as_str())).map(|e| e.ticker.clone()).collect()
}

/// A list of names for a title: "BABA, AAPL, BIDU" or "BABA, AAPL and 12 more".
pub(crate) fn names(list: &[String]) -> String {
    match list.len() {
        0 => "-".into(),
        n if n <= 4 => list.join(", "),
        n => format!("{} and {} more", list[..3].join(", "), n - 3),
    }
}

/// "BABA: 2025-02-13 (confirmation), day 0 2025-02-13" for panel captions.
pub(crate) fn event_caption(e: &EventResult) -> String {
    let kind = if e.kind.is_empty() { String::new() } else { format!(" ({})", e.kind) };
    let chain = if e.day0_rule == Some(Day0Rule::Chain) { "chain " } else { "" };
    format!("{}: {chain}{}{kind}, day 0 {}", e.ticker, e.event_date, e.day0.as_deref().unwrap_or("-"))
}

/// Axis labels for relative days: "-10", "0", "+5".
pub(crate) fn day_label(x: &f64) -> String {
    let d = x.round() as i64;
    if d > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

/// The largest magnitude an axis shows; beyond it, values are drawn at the edge.
const AXIS_LIMIT: f64 = 1e12;

/// An axis range plotters can always draw in bounded time: finite, within ±[`AXIS_LIMIT`], and
/// at least a millionth of its magnitude wide (a range of subnormal width made the tick search
/// run for minutes).
pub(crate) fn axis((lo, hi): (f64, f64)) -> (f64, f64) {
    let clamp = |v: f64, fallback: f64| if v.is_finite() { v.clamp(-AXIS_LIMIT, AXIS_LIMIT) } else { fallback };
    let (lo, hi) = (clamp(lo, -1.0), clamp(hi, 1.0));
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let min_width = 1e-6 * lo.abs().max(hi.abs()).max(1e-6);
    if hi - lo >= min_width {
        (lo, hi)
    } else {
        let mid = 0.5 * (lo + hi);
        (mid - min_width, mid + min_width)
    }
}

/// A y range that includes 0 and every value, padded by 8%.
pub(crate) fn y_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let pad = 0.08 * (hi - lo).max(1.0);
    (lo - pad, hi + pad)
}

/// Tick label for a percentage axis spanning `span` percentage points.
pub(crate) fn pct_label(span: f64) -> impl Fn(&f64) -> String {
    move |y: &f64| if span > 8.0 { format!("{y:.0}") } else { format!("{y:.1}") }
}

/// How many y-axis labels fit a panel without touching: one per 36 pixels of plot height.
pub(crate) fn y_labels<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> usize {
    let (_, h) = area.dim_in_pixel();
    ((h as f64 - 100.0) / 36.0).clamp(3.0, 7.0) as usize
}

/// What the per-event charts say when no event could be computed.
pub(crate) const NO_COMPUTED_EVENT: &str = "No event could be computed (see the exclusions in summary.json).";

/// Draws one panel per item in the grid, the first [`MAX_PANELS`] items; with no item, draws
/// nothing and returns `empty`, the sentence a chart body shows in place of its panels.
pub(crate) fn small_multiples<DB: DrawingBackend, T>(
    area: &DrawingArea<DB, Shift>,
    items: &[T],
    empty: &str,
    mut draw: impl FnMut(&DrawingArea<DB, Shift>, &T) -> Result<()>,
) -> Result<Option<String>> {
    if items.is_empty() {
        return Ok(Some(empty.to_string()));
    }
    let items = &items[..items.len().min(MAX_PANELS)];
    for (panel, item) in area.split_evenly(grid(items.len())).iter().zip(items) {
        draw(panel, item)?;
    }
    Ok(None)
}

/// A panel whose x axis is trading days relative to day 0.
pub(crate) type DayChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Builds a day-axis panel: bold caption, `x` and `lo..hi` ranges, and the mesh every such
/// chart shares (light grid, "Trading days relative to day 0", `y_desc`, labels by `x_label`;
/// vertical grid lines unless `x_grid` is false).
#[allow(clippy::too_many_arguments)]
pub(crate) fn day_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    caption: String,
    x: std::ops::Range<f64>,
    (lo, hi): (f64, f64),
    y_desc: &str,
    x_label: &dyn Fn(&f64) -> String,
    x_grid: bool,
) -> Result<DayChart<'a, DB>> {
    let (lo, hi) = axis((lo, hi));
    let x = {
        let (a, b) = axis((x.start, x.end));
        a..b
    };
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(caption, (FONT, 16).into_font().style(FontStyle::Bold))
        .x_label_area_size(40)
        .y_label_area_size(58)
        .build_cartesian_2d(x, lo..hi)
        .map_err(draw_err)?;
    let y_label = pct_label(hi - lo);
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT_GRID)
        .x_desc("Trading days relative to day 0")
        .y_desc(y_desc)
        .x_labels(11)
        .y_labels(y_labels(area))
        .x_label_formatter(x_label)
        .y_label_formatter(&y_label)
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14));
    if !x_grid {
        mesh.disable_x_mesh();
    }
    mesh.draw().map_err(draw_err)?;
    Ok(chart)
}

/// The zero line across `x` and the dashed day-0 line from `lo` to `hi`.
pub(crate) fn day_guides<DB: DrawingBackend>(
    chart: &mut DayChart<DB>,
    x: std::ops::Range<f64>,
    (lo, hi): (f64, f64),
) -> Result<()> {
    chart.draw_series(LineSeries::new(vec![(x.start, 0.0), (x.end, 0.0)], MUTED.stroke_width(1))).map_err(draw_err)?;
    chart
        .draw_series(DashedLineSeries::new(vec![(0.0, lo), (0.0, hi)], 6, 4, DAY0.stroke_width(2)))
        .map_err(draw_err)?;
    Ok(())
}

/// A cumulated path in % with its 95% band: points (day, value, lower, upper); band days whose
/// bounds are undefined are left out.
pub(crate) fn path_with_band<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: String,
    y_desc: &str,
    pts: &[(f64, f64, f64, f64)],
) -> Result<()> {
    let x = pts[0].0 - 0.5..pts[pts.len() - 1].0 + 0.5;
    let y = y_range(pts.iter().flat_map(|p| [p.1, p.2, p.3]));
    let mut chart = day_chart(area, caption, x.clone(), y, y_desc, &day_label, true)?;
    let defined = |p: &&(f64, f64, f64, f64)| p.2.is_finite() && p.3.is_finite();
    let mut band: Vec<(f64, f64)> = pts.iter().filter(defined).map(|p| (p.0, p.3)).collect();
    band.extend(pts.iter().rev().filter(defined).map(|p| (p.0, p.2)));
    if !band.is_empty() {
        chart.draw_series(std::iter::once(Polygon::new(band, BAND.mix(0.35).filled()))).map_err(draw_err)?;
    }
    day_guides(&mut chart, x, y)?;
    chart.draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.1)), ACCENT.stroke_width(3))).map_err(draw_err)?;
    chart.draw_series(pts.iter().map(|p| Circle::new((p.0, p.1), 3, ACCENT.filled()))).map_err(draw_err)?;
    Ok(())
}

/// Critical value of the two-sided 95% t band with `df` degrees of freedom.
pub(crate) fn t95(df: usize) -> f64 {
    crate::stats::tdist::critical_value(0.05, df.max(1) as f64)
}

/// The method line every subtitle starts with.
pub(crate) fn method(s: &Summary) -> String {
    super::table::method_text(s, ", ")
}

/// Writes every chart as PNG and SVG.
pub struct Charts {
    pub size: ChartSize,
    /// `--price-range` for the price chart.
    pub price_range: Option<crate::config::DateRange>,
}

impl Exporter for Charts {
    fn files(&self) -> Vec<&'static str> {
        CHART_FILES.to_vec()
    }
    fn write(&self, s: &Summary, dir: &Path) -> Result<()> {
        // Each chart is drawn on its own: side by side on the cores the other exporters leave.
        let charts: [&(dyn Fn() -> Result<()> + Sync); 8] = [
            &|| render(&car::CarChart, s, dir, self.size),
            &|| render(&ar::ArChart, s, dir, self.size),
            &|| render(&caar::CaarChart, s, dir, self.size),
            &|| render(&cross::CrossChart, s, dir, self.size),
            &|| render(&price::PriceChart { range: self.price_range }, s, dir, self.size),
            &|| render(&scatter::ScatterChart, s, dir, self.size),
            &|| render(&vol::VolChart, s, dir, self.size),
            &|| render(&claims::ClaimsChart, s, dir, self.size),
        ];
        use rayon::prelude::*;
        let done: Vec<Result<()>> = charts.par_iter().map(|draw| draw()).collect();
        done.into_iter().collect()
    }
}

/// Whether chart `name` has something to show for this study (the report leaves the others
/// out).
pub fn has_content(name: &str, s: &Summary) -> bool {
    let ok = computed(s, true);
    match name {
        "car" | "ar" => !ok.is_empty(),
        "vol" => !computed(s, false).is_empty(),
        "claims" => !s.claims.is_empty(),
        "caar" => !s.aggregate.is_empty(),
        "cross" => cross::multi_ticker_events(s).next().is_some(),
        "price" => !s.plot_prices.is_empty(),
        "scatter" => computed(s, false).iter().any(|e| !e.estimation_points.is_empty()),
        _ => false,
    }
}

//! Charts, drawn once through a generic plotters backend and saved as both PNG and SVG so the
//! two files show the same content. Text uses the DejaVu Sans font compiled into the binary,
//! so charts render identically on a machine without system fonts.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{write_atomic, Exporter};
use crate::error::{Error, Result};
use crate::stats::tdist::critical_value;
use crate::summary::{EventResult, Summary};

/// The font family name every chart uses.
pub const FONT: &str = "sans-serif";

static FONTS: Once = Once::new();

/// Registers the embedded DejaVu Sans fonts with plotters (idempotent).
pub fn register_fonts() {
    FONTS.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

const LINE: RGBColor = RGBColor(31, 92, 153);
const BAND: RGBColor = RGBColor(120, 170, 220);
const DAY0: RGBColor = RGBColor(200, 60, 40);
const NOTICE: RGBColor = RGBColor(190, 40, 20);
const MUTED: RGBColor = RGBColor(90, 90, 90);

fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Output(format!("drawing a chart failed: {e:?}"))
}

/// Small multiples: one panel per computed (event, ticker) with the CAR path from the first
/// day of the event window and its 95% confidence band.
pub struct CarChart {
    pub size: (u32, u32),
}

impl Exporter for CarChart {
    fn files(&self) -> Vec<&'static str> {
        vec!["car.png", "car.svg"]
    }
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()> {
        register_fonts();
        let events: Vec<&EventResult> = summary.events.iter().filter(|e| e.status == "ok").collect();
        let (w, h) = car_chart_size(self.size, events.len());
        {
            let png = dir.join("car.png");
            let root = BitMapBackend::new(&png, (w, h)).into_drawing_area();
            draw_car_chart(&root, summary, &events)?;
            root.present().map_err(draw_err)?;
        }
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            draw_car_chart(&root, summary, &events)?;
            root.present().map_err(draw_err)?;
        }
        write_atomic(&dir.join("car.svg"), svg.as_bytes())
    }
}

/// Panel grid: up to 3 columns; the height grows with the number of rows.
fn grid(n: usize) -> (usize, usize) {
    let cols = n.clamp(1, 3);
    let rows = n.max(1).div_ceil(cols);
    (rows, cols)
}

/// The chart's pixel size: `base` is the size of a one-row chart.
pub fn car_chart_size(base: (u32, u32), n_panels: usize) -> (u32, u32) {
    let (rows, _) = grid(n_panels);
    let header = 110;
    let footer = 40;
    let row_h = base.1.saturating_sub(header + footer).max(240);
    (base.0, header + footer + row_h * rows as u32)
}

fn short_window(w: (i32, i32)) -> String {
    let f = |x: i32| if x > 0 { format!("+{x}") } else { x.to_string() };
    format!("[{}, {}]", f(w.0), f(w.1))
}

fn draw_car_chart<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &Summary, events: &[&EventResult]) -> Result<()> {
    root.fill(&WHITE).map_err(draw_err)?;
    let (w, h) = root.dim_in_pixel();
    let (top, rest) = root.split_vertically(110);
    let (body, foot) = rest.split_vertically(h - 110 - 40);

    let tickers: Vec<&str> = {
        let mut t: Vec<&str> = Vec::new();
        for e in events {
            if !t.contains(&e.ticker.as_str()) {
                t.push(&e.ticker);
            }
        }
        t
    };
    let title = format!(
        "Cumulative abnormal return (CAR) of {} around dated news ({} event-ticker pair{})",
        if tickers.is_empty() { "-".to_string() } else { tickers.join(", ") },
        events.len(),
        if events.len() == 1 { "" } else { "s" }
    );
    let c = &s.config;
    let sub = format!(
        "Market model vs {}, {} returns, estimation window {}. Line: CAR from the first day of the window; shaded: 95% confidence band; dashed: day 0",
        c.market,
        match c.returns {
            crate::config::ReturnKind::Simple => "simple",
            crate::config::ReturnKind::Log => "log",
        },
        short_window(c.estimation)
    );
    top.draw(&Text::new(title, (20, 14), (FONT, 26).into_font().style(FontStyle::Bold).color(&BLACK))).map_err(draw_err)?;
    top.draw(&Text::new(sub, (20, 50), (FONT, 16).into_font().color(&MUTED))).map_err(draw_err)?;
    if let Some(n) = &s.data_notice {
        top.draw(&Text::new(n.clone(), (20, 78), (FONT, 18).into_font().style(FontStyle::Bold).color(&NOTICE))).map_err(draw_err)?;
    }
    let mut source: Vec<String> =
        s.price_inputs().map(|i| format!("{} ({})", i.ticker.as_deref().unwrap_or(""), i.price_column.as_deref().unwrap_or(""))).collect();
    let factor_file = |i: &&crate::summary::InputFile| i.role == "factors";
    source.extend(s.inputs.iter().filter(factor_file).map(|i| {
        let name = std::path::Path::new(&i.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        format!("factors {name}")
    }));
    let foot_text = format!("Data: {} | eventstudy {} | study {}", source.join(", "), s.tool.version, s.study);
    foot.draw(&Text::new(foot_text, (20, 12), (FONT, 14).into_font().color(&MUTED))).map_err(draw_err)?;
    let _ = w;

    if events.is_empty() {
        body.draw(&Text::new("No event could be computed (see the exclusions in summary.json)", (40, 60), (FONT, 20).into_font()))
            .map_err(draw_err)?;
        return Ok(());
    }
    let (rows, cols) = grid(events.len());
    let panels = body.split_evenly((rows, cols));
    for (panel, e) in panels.iter().zip(events) {
        draw_panel(panel, e)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &EventResult) -> Result<()> {
    let m = e.model.as_ref().expect("ok events have a model");
    let crit = critical_value(0.05, m.df as f64);
    let pts: Vec<(f64, f64, f64, f64)> = e
        .ar
        .iter()
        .map(|r| (r.day as f64, 100.0 * r.car, 100.0 * (r.car - crit * r.car_se), 100.0 * (r.car + crit * r.car_se)))
        .collect();
    let (x0, x1) = (pts[0].0, pts[pts.len() - 1].0);
    let mut lo = pts.iter().map(|p| p.2).fold(0.0_f64, f64::min);
    let mut hi = pts.iter().map(|p| p.3).fold(0.0_f64, f64::max);
    let pad = 0.08 * (hi - lo).max(1.0);
    lo -= pad;
    hi += pad;
    let kind = if e.kind.is_empty() { String::new() } else { format!(" ({})", e.kind) };
    let caption = format!("{}: event {}{}, day 0 {}", e.ticker, e.event_date, kind, e.day0.as_deref().unwrap_or("-"));
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(caption, (FONT, 17).into_font().style(FontStyle::Bold))
        .x_label_area_size(42)
        .y_label_area_size(62)
        .build_cartesian_2d(x0 - 0.5..x1 + 0.5, lo..hi)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_desc("Trading days relative to day 0")
        .y_desc("CAR (%)")
        .x_labels(11)
        .y_labels(7)
        .x_label_formatter(&|x| format!("{:+}", x.round() as i64).replace("+0", "0"))
        .y_label_formatter(&|y| if hi - lo > 8.0 { format!("{y:.0}") } else { format!("{y:.1}") })
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    let mut band: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.3)).collect();
    band.extend(pts.iter().rev().map(|p| (p.0, p.2)));
    chart.draw_series(std::iter::once(Polygon::new(band, BAND.mix(0.35).filled()))).map_err(draw_err)?;
    chart
        .draw_series(LineSeries::new(vec![(x0 - 0.5, 0.0), (x1 + 0.5, 0.0)], MUTED.stroke_width(1)))
        .map_err(draw_err)?;
    chart
        .draw_series(DashedLineSeries::new(vec![(0.0, lo), (0.0, hi)], 6, 4, DAY0.stroke_width(2)))
        .map_err(draw_err)?;
    chart.draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.1)), LINE.stroke_width(3))).map_err(draw_err)?;
    chart.draw_series(pts.iter().map(|p| Circle::new((p.0, p.1), 3, LINE.filled()))).map_err(draw_err)?;
    Ok(())
}

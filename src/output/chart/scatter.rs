//! The estimation window of each event: the stock's daily return against its benchmark's, with
//! the fitted normal-return line, so a reader sees what "expected return" means for it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::*;
use crate::config::ModelKind;

pub(crate) struct ScatterChart;

/// What is plotted: `return` or `log volume`.
fn noun(s: &Summary) -> &'static str {
    if Units::of(s).ar() == "AR" {
        "return"
    } else {
        "log volume"
    }
}

fn events(s: &Summary) -> Vec<&EventResult> {
    computed(s, false).into_iter().filter(|e| !e.estimation_points.is_empty()).collect()
}

impl Chart for ScatterChart {
    const NAME: &'static str = "scatter";
    fn frame(&self, s: &Summary) -> Frame {
        let ev = events(s);
        let line = match s.config.method.model {
            ModelKind::Market | ModelKind::MarketAdjusted | ModelKind::ConstantMean | ModelKind::Garch => {
                "line: the fitted expected return"
            }
            ModelKind::Ff3 | ModelKind::Carhart | ModelKind::Ff5 => {
                "line: alpha + Mkt-RF loading x benchmark return (the other factors at their zero)"
            }
        };
        Frame {
            title: format!(
                "Estimation window: daily {}s of {} against the benchmark",
                noun(s),
                names(&if s.scatter_tickers.is_empty() { tickers_of(&ev) } else { s.scatter_tickers.clone() })
            ),
            subtitle: format!(
                "{}. Each dot is one estimation day ({}s in {}); {line}.{}",
                method(s),
                noun(s),
                Units::of(s).axis_unit(),
                shown_note(s.scatter_events.max(ev.len()), "events", "summary.json")
            ),
            legend: vec![(ACCENT, Mark::Dot, "estimation day".into()), (VERMILLION, Mark::Line, "fitted line".into())],
            panels: ev.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        small_multiples(
            area,
            &events(s),
            "No computed event has benchmark returns in its estimation window.",
            |panel, e| scatter_panel(panel, e, &Units::of(s), noun(s)),
        )
    }
}

fn scatter_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    e: &EventResult,
    u: &Units,
    noun: &str,
) -> Result<()> {
    let k = u.scale();
    let m = e.model.as_ref().expect("computed events have a model");
    let pts: Vec<(f64, f64)> = e.estimation_points.iter().map(|(x, y)| (k * x, k * y)).collect();
    let bound = |f: fn(&(f64, f64)) -> f64| {
        let lo = pts.iter().map(f).fold(f64::INFINITY, f64::min);
        let hi = pts.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
        let pad = 0.06 * (hi - lo).max(0.5);
        axis((lo - pad, hi + pad))
    };
    let (x0, x1) = bound(|p| p.0);
    let (y0, y1) = bound(|p| p.1);
    let bench = e.benchmark.clone().unwrap_or_else(|| "benchmark".into());
    let beta = m.beta.map(|b| format!("beta {b:.2}, ")).unwrap_or_default();
    let caption = format!(
        "{} {}: {beta}R² {:.2}, M = {} days to {}",
        e.ticker, e.event_date, m.r_squared, m.n_obs, m.estimation_end
    );
    let (w, _) = area.dim_in_pixel();
    let caption = fit(&caption, w as f64 - 30.0, 15.0, true);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(caption, (FONT, 15).into_font().style(FontStyle::Bold))
        .x_label_area_size(40)
        .y_label_area_size(58)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT_GRID)
        .x_desc(format!("{bench} daily {noun} ({})", u.axis_unit()))
        .y_desc(format!("{} daily {noun} ({})", e.ticker, u.axis_unit()))
        .x_labels(7)
        .y_labels(y_labels(area))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, ACCENT.mix(0.55).filled()))).map_err(draw_err)?;
    // The line in percent: y% = 100·alpha + beta·x%.
    let slope = m.beta.unwrap_or(0.0);
    let line = |x: f64| k * m.alpha + slope * x;
    chart
        .draw_series(LineSeries::new(vec![(x0, line(x0)), (x1, line(x1))], VERMILLION.stroke_width(3)))
        .map_err(draw_err)?;
    Ok(())
}

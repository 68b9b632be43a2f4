//! The cumulative average abnormal return (CAAR) of each group of events with its 95% band
//! (the band's standard error is documented on [`crate::summary::DayAggregate::caar_se`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::*;
use crate::summary::GroupResult;

pub(crate) struct CaarChart;

/// "All events", "BABA", "kind rumor", "event 2025-02-13-tsai-confirms".
fn group_name(g: &GroupResult) -> String {
    match g.group.split_once('=') {
        None if g.group == "all" => "All events".to_string(),
        None => g.group.clone(),
        Some(("ticker", t)) => t.to_string(),
        Some((k, v)) => format!("{k} {v}"),
    }
}

fn group_label(g: &GroupResult) -> String {
    format!("{} (N = {})", group_name(g), g.n)
}

impl Chart for CaarChart {
    const NAME: &'static str = "caar";
    fn frame(&self, s: &Summary) -> Frame {
        let groups: Vec<String> = s.aggregate.iter().map(group_name).collect();
        Frame {
            title: format!("Cumulative average abnormal return (CAAR) by group: {}", names(&groups)),
            subtitle: format!(
                "{}. CAAR cumulated from the first day of the event window, in %. Band: 95%, cross-sectional standard error of the CARs (t, N-1 df); for a single event its own forecast-error band.{}",
                method(s),
                shown_note(groups.len(), "groups", "aggregate.csv")
            ),
            legend: vec![
                (ACCENT, Mark::Line, "CAAR".into()),
                (BAND, Mark::Band, "95% confidence band".into()),
                (DAY0, Mark::Dashed, "day 0".into()),
            ],
            panels: groups.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        if s.aggregate.is_empty() {
            return Ok(Some("No event could be computed, so there is no average (see summary.json).".into()));
        }
        let gs = &s.aggregate[..s.aggregate.len().min(MAX_PANELS)];
        let panels = area.split_evenly(grid(gs.len()));
        for (panel, g) in panels.iter().zip(gs) {
            caar_panel(panel, g)?;
        }
        Ok(None)
    }
}

fn caar_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, g: &GroupResult) -> Result<()> {
    let pts: Vec<(f64, f64, f64, f64)> =
        g.days.iter().map(|d| (d.day as f64, 100.0 * d.caar, 100.0 * d.caar_lo95, 100.0 * d.caar_hi95)).collect();
    let (x0, x1) = (pts[0].0, pts[pts.len() - 1].0);
    let (lo, hi) = y_range(pts.iter().flat_map(|p| [p.1, p.2, p.3]));
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(group_label(g), (FONT, 16).into_font().style(FontStyle::Bold))
        .x_label_area_size(40)
        .y_label_area_size(58)
        .build_cartesian_2d(x0 - 0.5..x1 + 0.5, lo..hi)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT_GRID)
        .x_desc("Trading days relative to day 0")
        .y_desc("CAAR (%)")
        .x_labels(11)
        .y_labels(y_labels(area))
        .x_label_formatter(&day_label)
        .y_label_formatter(&pct_label(hi - lo))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    let mut band: Vec<(f64, f64)> = pts.iter().filter(|p| p.2.is_finite() && p.3.is_finite()).map(|p| (p.0, p.3)).collect();
    band.extend(pts.iter().rev().filter(|p| p.2.is_finite() && p.3.is_finite()).map(|p| (p.0, p.2)));
    if !band.is_empty() {
        chart.draw_series(std::iter::once(Polygon::new(band, BAND.mix(0.35).filled()))).map_err(draw_err)?;
    }
    chart.draw_series(LineSeries::new(vec![(x0 - 0.5, 0.0), (x1 + 0.5, 0.0)], MUTED.stroke_width(1))).map_err(draw_err)?;
    chart.draw_series(DashedLineSeries::new(vec![(0.0, lo), (0.0, hi)], 6, 4, DAY0.stroke_width(2))).map_err(draw_err)?;
    chart.draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.1)), ACCENT.stroke_width(3))).map_err(draw_err)?;
    chart.draw_series(pts.iter().map(|p| Circle::new((p.0, p.1), 3, ACCENT.filled()))).map_err(draw_err)?;
    Ok(())
}

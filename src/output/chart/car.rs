//! The CAR path of each computed (event, ticker) pair with its 95% confidence band.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::*;

pub(crate) struct CarChart;

impl Chart for CarChart {
    const NAME: &'static str = "car";
    fn frame(&self, s: &Summary) -> Frame {
        let ev = computed(s, true);
        Frame {
            title: format!(
                "Cumulative abnormal return (CAR) of {} around dated news ({} event-ticker pair{})",
                names(&tickers_of(&ev)),
                ev.len(),
                if ev.len() == 1 { "" } else { "s" }
            ),
            subtitle: format!(
                "{}. CAR cumulated from the first day of the event window, in %.{}",
                method(s),
                shown_note(ev.len(), "pairs", "ar.csv")
            ),
            legend: vec![
                (ACCENT, Mark::Line, "CAR".into()),
                (BAND, Mark::Band, "95% confidence band (t, M-k-1 df)".into()),
                (DAY0, Mark::Dashed, "day 0".into()),
            ],
            panels: ev.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        let ev = computed(s, true);
        if ev.is_empty() {
            return Ok(Some("No event could be computed (see the exclusions in summary.json).".into()));
        }
        let ev = &ev[..ev.len().min(MAX_PANELS)];
        let panels = area.split_evenly(grid(ev.len()));
        for (panel, e) in panels.iter().zip(ev) {
            car_panel(panel, e)?;
        }
        Ok(None)
    }
}

fn car_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &EventResult) -> Result<()> {
    let m = e.model.as_ref().expect("computed events have a model");
    let crit = t95(m.df);
    let pts: Vec<(f64, f64, f64, f64)> =
        e.ar.iter().map(|r| (r.day as f64, 100.0 * r.car, 100.0 * (r.car - crit * r.car_se), 100.0 * (r.car + crit * r.car_se))).collect();
    let (x0, x1) = (pts[0].0, pts[pts.len() - 1].0);
    let (lo, hi) = y_range(pts.iter().flat_map(|p| [p.2, p.3]));
    let (w, _) = area.dim_in_pixel();
    let caption = fit(&event_caption(e), w as f64 - 30.0, 16.0, true);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(caption, (FONT, 16).into_font().style(FontStyle::Bold))
        .x_label_area_size(40)
        .y_label_area_size(58)
        .build_cartesian_2d(x0 - 0.5..x1 + 0.5, lo..hi)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT_GRID)
        .x_desc("Trading days relative to day 0")
        .y_desc("CAR (%)")
        .x_labels(11)
        .y_labels(y_labels(area))
        .x_label_formatter(&day_label)
        .y_label_formatter(&pct_label(hi - lo))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    let mut band: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.3)).collect();
    band.extend(pts.iter().rev().map(|p| (p.0, p.2)));
    chart.draw_series(std::iter::once(Polygon::new(band, BAND.mix(0.35).filled()))).map_err(draw_err)?;
    chart.draw_series(LineSeries::new(vec![(x0 - 0.5, 0.0), (x1 + 0.5, 0.0)], MUTED.stroke_width(1))).map_err(draw_err)?;
    chart.draw_series(DashedLineSeries::new(vec![(0.0, lo), (0.0, hi)], 6, 4, DAY0.stroke_width(2))).map_err(draw_err)?;
    chart.draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.1)), ACCENT.stroke_width(3))).map_err(draw_err)?;
    chart.draw_series(pts.iter().map(|p| Circle::new((p.0, p.1), 3, ACCENT.filled()))).map_err(draw_err)?;
    Ok(())
}

//! The CAR path of each computed (event, ticker) pair with its 95% confidence band.

use plotters::coord::Shift;
use plotters::prelude::*;

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
        small_multiples(area, &computed(s, true), NO_COMPUTED_EVENT, |panel, e| car_panel(panel, e))
    }
}

fn car_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &EventResult) -> Result<()> {
    let m = e.model.as_ref().expect("computed events have a model");
    let crit = t95(m.df);
    let pts: Vec<(f64, f64, f64, f64)> = e
        .ar
        .iter()
        .map(|r| (r.day as f64, 100.0 * r.car, 100.0 * (r.car - crit * r.car_se), 100.0 * (r.car + crit * r.car_se)))
        .collect();
    let (w, _) = area.dim_in_pixel();
    path_with_band(area, fit(&event_caption(e), w as f64 - 30.0, 16.0, true), "CAR (%)", &pts)
}

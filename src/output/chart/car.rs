//! The CAR path of each computed (event, ticker) pair with its 95% confidence band.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

pub(crate) struct CarChart;

impl Chart for CarChart {
    const NAME: &'static str = "car";
    fn frame(&self, s: &Summary) -> Frame {
        let ev = computed(s, true);
        let u = Units::of(s);
        Frame {
            title: format!(
                "Cumulative {} ({}) of {} around dated news ({} event-ticker pair{})",
                u.abnormal(),
                u.car(),
                names(&tickers_of(&ev)),
                ev.len(),
                if ev.len() == 1 { "" } else { "s" }
            ),
            subtitle: format!(
                "{}. {} cumulated from the first day of the event window, in {}.{}",
                method(s),
                u.car(),
                u.axis_unit(),
                shown_note(ev.len(), "pairs", "ar.csv")
            ),
            legend: vec![
                (ACCENT, Mark::Line, u.car().into()),
                (BAND, Mark::Band, "95% confidence band (t, M-k-1 df)".into()),
                (DAY0, Mark::Dashed, "day 0".into()),
            ],
            panels: ev.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        small_multiples(area, &computed(s, true), NO_COMPUTED_EVENT, |panel, e| car_panel(panel, e, &Units::of(s)))
    }
}

fn car_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &EventResult, u: &Units) -> Result<()> {
    let k = u.scale();
    let m = e.model.as_ref().expect("computed events have a model");
    let crit = t95(m.df);
    let pts: Vec<(f64, f64, f64, f64)> =
        e.ar.iter()
            .map(|r| (r.day as f64, k * r.car, k * (r.car - crit * r.car_se), k * (r.car + crit * r.car_se)))
            .collect();
    let (w, _) = area.dim_in_pixel();
    path_with_band(
        area,
        fit(&event_caption(e), w as f64 - 30.0, 16.0, true),
        &format!("{} ({})", u.car(), u.axis_unit()),
        &pts,
    )
}

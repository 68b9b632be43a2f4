//! The cumulative average abnormal return (CAAR) of each group of events with its 95% band
//! (the band's standard error is documented on [`crate::summary::DayAggregate::caar_se`]).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;
use crate::config::GroupBy;
use crate::summary::GroupResult;

pub(crate) struct CaarChart;

/// "All events", "BABA", "kind rumor", "event 2025-02-13-tsai-confirms".
fn group_name(g: &GroupResult) -> String {
    match (g.key.by, &g.key.value) {
        (GroupBy::All, _) | (_, None) => "All events".to_string(),
        (GroupBy::Ticker, Some(t)) => t.clone(),
        (by, Some(v)) => format!("{} {v}", crate::config::option_name(by)),
    }
}

fn group_label(g: &GroupResult) -> String {
    format!("{} (N = {})", group_name(g), g.n)
}

impl Chart for CaarChart {
    const NAME: &'static str = "caar";
    fn frame(&self, s: &Summary) -> Frame {
        let groups: Vec<String> = s.aggregate.iter().map(group_name).collect();
        let u = Units::of(s);
        Frame {
            title: format!("Cumulative average {} ({}) by group: {}", u.abnormal(), u.caar(), names(&groups)),
            subtitle: format!(
                "{}. {} cumulated from the first day of the event window, in {}. Band: 95%, cross-sectional standard error of the {}s (t, N-1 df); for a single event its own forecast-error band.{}",
                method(s),
                u.caar(),
                u.axis_unit(),
                u.car(),
                shown_note(groups.len(), "groups", "aggregate.csv")
            ),
            legend: vec![
                (ACCENT, Mark::Line, u.caar().into()),
                (BAND, Mark::Band, "95% confidence band".into()),
                (DAY0, Mark::Dashed, "day 0".into()),
            ],
            panels: groups.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        small_multiples(
            area,
            &s.aggregate,
            "No event could be computed, so there is no average (see summary.json).",
            |panel, g| caar_panel(panel, g, &Units::of(s)),
        )
    }
}

fn caar_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, g: &GroupResult, u: &Units) -> Result<()> {
    let k = u.scale();
    let pts: Vec<(f64, f64, f64, f64)> =
        g.days.iter().map(|d| (d.day as f64, k * d.caar, k * d.caar_lo95, k * d.caar_hi95)).collect();
    path_with_band(area, group_label(g), &format!("{} ({})", u.caar(), u.axis_unit()), &pts)
}

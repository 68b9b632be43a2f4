//! Abnormal volatility around day 0: each event's daily squared standardised abnormal return
//! (SAR², F(1, ν) under the null) as bars, with the 95% point of F(1, ν) and the mean over all
//! events, so a reader sees on which days the variance rose.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;
use crate::stats::volatility::f_quantile;

pub(crate) struct VolChart;

const ABOVE: RGBColor = RGBColor(150, 40, 20);
const BELOW: RGBColor = RGBColor(232, 180, 160);

/// The mean SAR² of each event-window day over the computed single events.
fn mean_by_day(ev: &[&EventResult]) -> Vec<(f64, f64)> {
    let Some(first) = ev.first() else { return vec![] };
    (0..first.ar.len())
        .map(|j| {
            let v: Vec<f64> = ev.iter().filter_map(|e| e.ar.get(j)).map(|r| r.sar2).filter(|x| x.is_finite()).collect();
            (first.ar[j].day as f64, v.iter().sum::<f64>() / v.len().max(1) as f64)
        })
        .collect()
}

impl Chart for VolChart {
    const NAME: &'static str = "vol";
    fn frame(&self, s: &Summary) -> Frame {
        let ev = computed(s, false);
        Frame {
            title: format!("Abnormal volatility of {} around day 0", names(&tickers_of(&ev))),
            subtitle: format!(
                "{}. Bars: squared standardised abnormal return SAR² = (AR/se)², F(1, M-k-1) under no event effect (about 1 on a normal day). Dashed: its 95% point.{}",
                method(s),
                shown_note(ev.len(), "pairs", "ar.csv (column sar2)")
            ),
            legend: vec![
                (ABOVE, Mark::Box, "SAR² above the 95% point".into()),
                (BELOW, Mark::Box, "SAR² below it".into()),
                (MUTED, Mark::Dashed, "95% point of F(1, M-k-1)".into()),
                (ACCENT, Mark::Line, format!("mean of the {} events", ev.len())),
            ],
            panels: ev.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        let ev = computed(s, false);
        let mean = mean_by_day(&ev);
        small_multiples(area, &ev, NO_COMPUTED_EVENT, |panel, e| vol_panel(panel, e, &mean))
    }
}

fn vol_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &EventResult, mean: &[(f64, f64)]) -> Result<()> {
    let m = e.model.as_ref().expect("computed events have a model");
    let crit = f_quantile(0.95, 1.0, m.df as f64);
    let bars: Vec<(f64, f64)> = e.ar.iter().map(|r| (r.day as f64, r.sar2)).filter(|b| b.1.is_finite()).collect();
    let (x0, x1) = (e.ar[0].day as f64, e.ar[e.ar.len() - 1].day as f64);
    let top = bars
        .iter()
        .map(|b| b.1)
        .chain(mean.iter().map(|m| m.1))
        .chain([crit])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let hi = if top > 0.0 { top * 1.08 } else { 1.0 };
    let (w, _) = area.dim_in_pixel();
    let caption = fit(&event_caption(e), w as f64 - 30.0, 16.0, true);
    let mut chart = day_chart(area, caption, x0 - 0.6..x1 + 0.6, (0.0, hi), "SAR²", &day_label, false)?;
    chart
        .draw_series(bars.iter().map(|&(d, v)| {
            Rectangle::new([(d - 0.36, 0.0), (d + 0.36, v)], if v > crit { ABOVE } else { BELOW }.filled())
        }))
        .map_err(draw_err)?;
    chart
        .draw_series(DashedLineSeries::new(vec![(x0 - 0.6, crit), (x1 + 0.6, crit)], 6, 4, MUTED.stroke_width(2)))
        .map_err(draw_err)?;
    chart.draw_series(LineSeries::new(mean.iter().copied(), ACCENT.stroke_width(2))).map_err(draw_err)?;
    Ok(())
}

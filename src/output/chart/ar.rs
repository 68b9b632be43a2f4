//! Daily abnormal returns around day 0 as bars, the days whose AR is significant at 5% (t with
//! the event's own forecast-error variance) drawn dark and starred.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::*;

pub(crate) struct ArChart;

const SIGNIFICANT: RGBColor = RGBColor(0, 80, 140);
const PLAIN: RGBColor = RGBColor(160, 196, 226);

impl Chart for ArChart {
    const NAME: &'static str = "ar";
    fn frame(&self, s: &Summary) -> Frame {
        let ev = computed(s, true);
        let u = Units::of(s);
        let what = if u.ar() == "AR" { "return" } else { "log volume" };
        Frame {
            title: format!("Daily {}s ({}) of {} around day 0", u.abnormal(), u.ar(), names(&tickers_of(&ev))),
            subtitle: format!(
                "{}. {} = {what} minus the model's expected {what}, in {}. A day is significant when |t| exceeds the two-sided 5% critical value of t with M-k-1 df.{}",
                method(s),
                u.ar(),
                u.axis_unit(),
                shown_note(ev.len(), "pairs", "ar.csv")
            ),
            legend: vec![
                (SIGNIFICANT, Mark::Box, format!("{} significant at 5% (*)", u.ar())),
                (PLAIN, Mark::Box, format!("{} not significant", u.ar())),
                (DAY0, Mark::Dashed, "day 0".into()),
            ],
            panels: ev.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        small_multiples(area, &computed(s, true), NO_COMPUTED_EVENT, |panel, e| ar_panel(panel, e, &Units::of(s)))
    }
}

fn ar_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &EventResult, u: &Units) -> Result<()> {
    let m = e.model.as_ref().expect("computed events have a model");
    let crit = t95(m.df);
    let bars: Vec<(f64, f64, bool)> =
        e.ar.iter().map(|r| (r.day as f64, u.scale() * r.ar, r.t.abs() >= crit)).collect();
    let (x0, x1) = (bars[0].0, bars[bars.len() - 1].0);
    let (lo, hi) = y_range(bars.iter().map(|b| b.1));
    let (lo, hi) = (lo - 0.06 * (hi - lo), hi + 0.06 * (hi - lo));
    let (w, _) = area.dim_in_pixel();
    let caption = fit(&event_caption(e), w as f64 - 30.0, 16.0, true);
    let mut chart = day_chart(
        area,
        caption,
        x0 - 0.6..x1 + 0.6,
        (lo, hi),
        &format!("{} ({})", u.ar(), u.axis_unit()),
        &day_label,
        false,
    )?;
    chart
        .draw_series(DashedLineSeries::new(vec![(0.0, lo), (0.0, hi)], 6, 4, DAY0.stroke_width(2)))
        .map_err(draw_err)?;
    chart
        .draw_series(bars.iter().map(|&(d, v, sig)| {
            Rectangle::new([(d - 0.36, 0.0), (d + 0.36, v)], if sig { SIGNIFICANT } else { PLAIN }.filled())
        }))
        .map_err(draw_err)?;
    chart
        .draw_series(LineSeries::new(vec![(x0 - 0.6, 0.0), (x1 + 0.6, 0.0)], MUTED.stroke_width(1)))
        .map_err(draw_err)?;
    let star = (FONT, 18).into_font().style(FontStyle::Bold).color(&SIGNIFICANT);
    let gap = 0.015 * (hi - lo);
    chart
        .draw_series(bars.iter().filter(|b| b.2).map(|&(d, v, _)| {
            let pos = plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                if v >= 0.0 {
                    plotters::style::text_anchor::VPos::Bottom
                } else {
                    plotters::style::text_anchor::VPos::Top
                },
            );
            Text::new("*".to_string(), (d, if v >= 0.0 { v + gap } else { v - gap }), star.clone().pos(pos))
        }))
        .map_err(draw_err)?;
    Ok(())
}

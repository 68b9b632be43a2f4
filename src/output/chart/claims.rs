//! The claims as a forest plot: one panel per claim with its estimate, the 90% interval (thick)
//! and the 95% interval (thin) against the claimed band (shaded), coloured by verdict, so a
//! reader sees at a glance which claims the data support.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::*;
use crate::load::{ClaimMeasure, Expect};
use crate::stats::claims::Verdict;
use crate::summary::ClaimResult;

pub(crate) struct ClaimsChart;

const SUPPORTED: RGBColor = TEAL;
const CONTRADICTED: RGBColor = VERMILLION;
const INCONCLUSIVE: RGBColor = GREY;
const CLAIMED: RGBColor = RGBColor(250, 220, 140);

fn colour(v: Verdict) -> RGBColor {
    match v {
        Verdict::Supported => SUPPORTED,
        Verdict::Contradicted => CONTRADICTED,
        Verdict::Inconclusive => INCONCLUSIVE,
    }
}

impl Chart for ClaimsChart {
    const NAME: &'static str = "claims";
    fn frame(&self, s: &Summary) -> Frame {
        let tickers: Vec<String> =
            s.claims.iter().map(|c| c.ticker.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        Frame {
            title: format!("Claims about {} and what the data say", names(&tickers)),
            subtitle: format!(
                "{}. Dot: the estimate (a CAR in %, or the variance ratio); thick line: its 90% interval; thin line: 95%; shaded: the claimed band. Supported when the 90% interval lies in the band.{}",
                method(s),
                shown_note(s.claims.len(), "claims", "claims.csv")
            ),
            legend: vec![
                (CLAIMED, Mark::Band, "claimed band".into()),
                (SUPPORTED, Mark::Line, "supported".into()),
                (CONTRADICTED, Mark::Line, "contradicted".into()),
                (INCONCLUSIVE, Mark::Line, "inconclusive".into()),
            ],
            panels: s.claims.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        let empty =
            "No claim to test: add a claims file (data/claims.csv or --claims) about the tickers of this study.";
        small_multiples(area, &s.claims, empty, |panel, c| claim_panel(panel, c, &Units::of(s)))
    }
}

fn claim_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, c: &ClaimResult, u: &Units) -> Result<()> {
    let k = if c.measure == ClaimMeasure::Car { u.scale() } else { 1.0 };
    let (lo_band, hi_band) = (c.low.map(|x| k * x), c.high.map(|x| k * x));
    let values: Vec<f64> = [c.estimate, c.ci95.0, c.ci95.1]
        .iter()
        .map(|x| k * x)
        .chain(lo_band)
        .chain(hi_band)
        .filter(|x| x.is_finite())
        .collect();
    let (mut lo, mut hi) = y_range(values.iter().copied());
    let pad = 0.08 * (hi - lo).max(1e-9);
    (lo, hi) = axis((lo - pad, hi + pad));
    let (w, _) = area.dim_in_pixel();
    let verdict = crate::output::table::verdict_name(c.verdict);
    let caption = fit(&format!("{} ({}): {verdict}", c.id, c.ticker), w as f64 - 30.0, 16.0, true);
    let x_desc = match c.measure {
        ClaimMeasure::Car => format!("{} {} ({})", u.car(), crate::output::table::win(c.window), u.axis_unit()),
        ClaimMeasure::Volatility => format!("variance ratio over {}", crate::output::table::win(c.window)),
    };
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(caption, (FONT, 16).into_font().style(FontStyle::Bold).color(&colour(c.verdict)))
        .x_label_area_size(40)
        .y_label_area_size(10)
        .build_cartesian_2d(lo..hi, 0.0..1.0)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT_GRID)
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_desc(x_desc)
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    let (band_lo, band_hi) = match c.expect {
        Expect::Above => (lo_band.unwrap_or(lo), hi),
        Expect::Below => (lo, hi_band.unwrap_or(hi)),
        Expect::Between => (lo_band.unwrap_or(lo), hi_band.unwrap_or(hi)),
    };
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(band_lo.max(lo), 0.1), (band_hi.min(hi), 0.9)],
            CLAIMED.mix(0.6).filled(),
        )))
        .map_err(draw_err)?;
    let col = colour(c.verdict);
    if c.estimate.is_finite() {
        let line =
            |a: (f64, f64), width| PathElement::new(vec![(k * a.0, 0.5), (k * a.1, 0.5)], col.stroke_width(width));
        chart.draw_series([line(c.ci95, 2), line(c.ci90, 7)]).map_err(draw_err)?;
        chart.draw_series(std::iter::once(Circle::new((k * c.estimate, 0.5), 8, col.filled()))).map_err(draw_err)?;
    }
    Ok(())
}

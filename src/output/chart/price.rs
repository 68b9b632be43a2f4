//! Each ticker's price around its events, with the events marked on day 0 and coloured by kind.
//! By default the chart shows a year before the first event to three months after the last
//! (a full-history file would squeeze the events against its right edge); `--price-range`
//! chooses another range.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::*;
use crate::summary::{PlotPrices, PRICE_CHART_TICKERS};

pub(crate) struct PriceChart {
    pub range: Option<crate::config::DateRange>,
}

/// Days shown before the first event and after the last, by default.
const BEFORE_DAYS: i64 = 365;
const AFTER_DAYS: i64 = 92;

impl PriceChart {
    /// The dates shown for `p`: `--price-range`, else around the day 0s of its events, else
    /// the whole series; always within the series.
    fn shown(&self, s: &Summary, p: &PlotPrices) -> (NaiveDate, NaiveDate) {
        let (first, last) = (p.dates[0], p.dates[p.dates.len() - 1]);
        let day0s = || {
            s.events
                .iter()
                .filter(|e| e.ticker == p.ticker)
                .filter_map(|e| NaiveDate::parse_from_str(e.day0.as_deref()?, "%Y-%m-%d").ok())
        };
        let (a, b) = match self.range {
            Some(r) => (r.from.unwrap_or(first), r.to.unwrap_or(last)),
            None => match (day0s().min(), day0s().max()) {
                (Some(a), Some(b)) => (a - chrono::Duration::days(BEFORE_DAYS), b + chrono::Duration::days(AFTER_DAYS)),
                _ => (first, last),
            },
        };
        let (a, b) = (a.max(first), b.min(last));
        if a < b {
            (a, b)
        } else {
            (first, last)
        }
    }
}

fn kinds(s: &Summary) -> Vec<String> {
    let mut k: Vec<String> = Vec::new();
    for e in &s.events {
        if e.day0.is_some() && e.day0_rule != Some(Day0Rule::Chain) && !k.contains(&e.kind) {
            k.push(e.kind.clone());
        }
    }
    k
}

fn x_of(d: NaiveDate) -> f64 {
    d.num_days_from_ce() as f64
}

/// Tick dates on calendar boundaries (the first of a month, quarter or year, or of every 2, 5,
/// 10 years), at most `max_ticks` of them, so the labels fall on dates a reader expects and
/// never touch at any range.
fn ticks(a: NaiveDate, b: NaiveDate, max_ticks: usize) -> (Vec<f64>, &'static str) {
    let months = ((b - a).num_days() / 30).max(1) as usize;
    let steps: &[(i32, &str)] =
        &[(1, "%Y-%m"), (3, "%Y-%m"), (6, "%Y-%m"), (12, "%Y"), (24, "%Y"), (60, "%Y"), (120, "%Y")];
    let (step, fmt) =
        steps.iter().copied().find(|(step, _)| months / (*step as usize) < max_ticks.max(2)).unwrap_or((240, "%Y"));
    let mut out = Vec::new();
    let mut m = a.year() * 12 + a.month0() as i32;
    m += (step - m % step) % step;
    while let Some(d) = NaiveDate::from_ymd_opt(m / 12, (m % 12) as u32 + 1, 1) {
        if d > b {
            break;
        }
        if d >= a {
            out.push(x_of(d));
        }
        m += step;
    }
    (out, fmt)
}

impl Chart for PriceChart {
    const NAME: &'static str = "price";
    fn frame(&self, s: &Summary) -> Frame {
        let tickers: Vec<String> = s.plot_prices.iter().map(|p| p.ticker.clone()).collect();
        let ks = kinds(s);
        let legend = ks
            .iter()
            .map(|k| (kind_color(k, &ks), Mark::Dot, if k.is_empty() { "(no kind)".to_string() } else { k.clone() }))
            .collect();
        let ranges: Vec<(NaiveDate, NaiveDate)> = s.plot_prices.iter().map(|p| self.shown(s, p)).collect();
        let span = match (ranges.iter().map(|r| r.0).min(), ranges.iter().map(|r| r.1).max()) {
            (Some(a), Some(b)) => format!(", {a} to {b}"),
            _ => String::new(),
        };
        let more = if s.config.tickers.len() > PRICE_CHART_TICKERS {
            format!(" Showing the first {PRICE_CHART_TICKERS} of {} tickers.", s.config.tickers.len())
        } else {
            String::new()
        };
        Frame {
            title: format!("Prices of {} with the dated news{span}", names(&tickers)),
            subtitle: format!(
                "Daily prices as read (the column is named on the axis); each dot is an event on its day 0 (vertical line), coloured by kind.{more}"
            ),
            legend,
            panels: tickers.len(),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        let ks = kinds(s);
        small_multiples(area, &s.plot_prices, "No price file was read for the studied tickers.", |panel, p| {
            price_panel(panel, s, p, &ks, self.shown(s, p))
        })
    }
}

fn price_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Summary,
    p: &PlotPrices,
    ks: &[String],
    (a, b): (NaiveDate, NaiveDate),
) -> Result<()> {
    let (i0, i1) = (p.dates.partition_point(|d| *d < a), p.dates.partition_point(|d| *d <= b));
    let (dates, prices) = (&p.dates[i0..i1.max(i0 + 1)], &p.prices[i0..i1.max(i0 + 1)]);
    let (x0, x1) = (x_of(a), x_of(b));
    // One label per 90 pixels of panel width at most.
    let (w, _) = area.dim_in_pixel();
    let (ticks_at, fmt) = ticks(a, b, (w as usize / 90).max(2));
    let date_label = |x: &f64| {
        NaiveDate::from_num_days_from_ce_opt(x.round() as i32).map(|d| d.format(fmt).to_string()).unwrap_or_default()
    };
    let lo = prices.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = prices.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let pad = 0.06 * (hi - lo).max(hi.abs() * 0.01).max(1e-9);
    let (lo, hi) = axis(((lo - pad).max(0.0), hi + pad));
    let currency = s.config.tickers_info.get(&p.ticker).and_then(|i| i.currency.clone());
    let unit = currency.map(|c| format!(" ({c})")).unwrap_or_default();
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(p.ticker.clone(), (FONT, 16).into_font().style(FontStyle::Bold))
        .x_label_area_size(40)
        .y_label_area_size(62)
        .build_cartesian_2d(x0..x1, lo..hi)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LIGHT_GRID)
        .x_desc("Date")
        .y_desc(format!("{}{unit}", p.column))
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(y_labels(area))
        .y_label_formatter(&|y| if hi > 100.0 { format!("{y:.0}") } else { format!("{y:.1}") })
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    // Date ticks on calendar boundaries, drawn here (plotters would pick arbitrary days).
    let base = area.get_base_pixel();
    let tick_font = (FONT, 13).into_font().color(&BLACK).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Top,
    ));
    for &x in &ticks_at {
        chart.draw_series(LineSeries::new(vec![(x, lo), (x, hi)], LIGHT_GRID.stroke_width(1))).map_err(draw_err)?;
        let (bx, by) = chart.backend_coord(&(x, lo));
        area.draw(&PathElement::new(
            vec![(bx - base.0, by - base.1), (bx - base.0, by - base.1 + 5)],
            BLACK.stroke_width(1),
        ))
        .map_err(draw_err)?;
        area.draw(&Text::new(date_label(&x), (bx - base.0, by - base.1 + 8), tick_font.clone())).map_err(draw_err)?;
    }
    let marks: Vec<(f64, f64, RGBColor)> = s
        .events
        .iter()
        .filter(|e| e.ticker == p.ticker && e.day0_rule != Some(Day0Rule::Chain))
        .filter_map(|e| {
            let d = NaiveDate::parse_from_str(e.day0.as_deref()?, "%Y-%m-%d").ok()?;
            let i = dates.binary_search(&d).ok()?;
            Some((x_of(d), prices[i], kind_color(&e.kind, ks)))
        })
        .collect();
    for &(x, _, c) in &marks {
        chart.draw_series(LineSeries::new(vec![(x, lo), (x, hi)], c.mix(0.55).stroke_width(1))).map_err(draw_err)?;
    }
    chart
        .draw_series(LineSeries::new(
            dates.iter().zip(prices).map(|(d, v)| (x_of(*d), *v)),
            RGBColor(40, 40, 40).stroke_width(1),
        ))
        .map_err(draw_err)?;
    chart.draw_series(marks.iter().map(|&(x, y, c)| Circle::new((x, y), 6, c.filled()))).map_err(draw_err)?;
    chart
        .draw_series(marks.iter().map(|&(x, y, _)| Circle::new((x, y), 6, WHITE.stroke_width(1))))
        .map_err(draw_err)?;
    Ok(())
}

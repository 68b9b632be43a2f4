//! Each ticker's price over the whole sample, with its events marked on day 0 and coloured by
//! kind.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::*;
use crate::summary::{PlotPrices, PRICE_CHART_TICKERS};

pub(crate) struct PriceChart;

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

/// Tick dates: 1 January of each year for long samples, else the first day of each quarter
/// (or month), so the labels fall on dates a reader expects.
fn ticks(a: NaiveDate, b: NaiveDate) -> (Vec<f64>, &'static str) {
    let days = (b - a).num_days();
    let (step, fmt) = match days {
        d if d > 3 * 365 => (12, "%Y"),
        d if d > 365 => (3, "%Y-%m"),
        _ => (1, "%Y-%m"),
    };
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
        let span = match (
            s.plot_prices.iter().map(|p| p.dates[0]).min(),
            s.plot_prices.iter().map(|p| p.dates[p.dates.len() - 1]).max(),
        ) {
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
            price_panel(panel, s, p, &ks)
        })
    }
}

fn price_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Summary,
    p: &PlotPrices,
    ks: &[String],
) -> Result<()> {
    let (x0, x1) = (x_of(p.dates[0]), x_of(p.dates[p.dates.len() - 1]));
    let (ticks_at, fmt) = ticks(p.dates[0], p.dates[p.dates.len() - 1]);
    let date_label = |x: &f64| {
        NaiveDate::from_num_days_from_ce_opt(x.round() as i32).map(|d| d.format(fmt).to_string()).unwrap_or_default()
    };
    let lo = p.prices.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = p.prices.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let pad = 0.06 * (hi - lo).max(hi.abs() * 0.01).max(1e-9);
    let (lo, hi) = ((lo - pad).max(0.0), hi + pad);
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
            let i = p.dates.binary_search(&d).ok()?;
            Some((x_of(d), p.prices[i], kind_color(&e.kind, ks)))
        })
        .collect();
    for &(x, _, c) in &marks {
        chart.draw_series(LineSeries::new(vec![(x, lo), (x, hi)], c.mix(0.55).stroke_width(1))).map_err(draw_err)?;
    }
    chart
        .draw_series(LineSeries::new(
            p.dates.iter().zip(&p.prices).map(|(d, v)| (x_of(*d), *v)),
            RGBColor(40, 40, 40).stroke_width(1),
        ))
        .map_err(draw_err)?;
    chart.draw_series(marks.iter().map(|&(x, y, c)| Circle::new((x, y), 6, c.filled()))).map_err(draw_err)?;
    chart
        .draw_series(marks.iter().map(|&(x, y, _)| Circle::new((x, y), 6, WHITE.stroke_width(1))))
        .map_err(draw_err)?;
    Ok(())
}

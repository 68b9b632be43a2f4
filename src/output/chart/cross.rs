//! One event across tickers: for each event that concerns several computed tickers, their CAR
//! paths in one panel (e.g. BABA, AAPL and BIDU around the 2025-02-13 confirmation).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::*;

pub(crate) struct CrossChart;

/// Events (by id, in study order) with at least two computed tickers, with those results.
pub(crate) fn multi_ticker_events(s: &Summary) -> impl Iterator<Item = (String, Vec<&EventResult>)> {
    let mut groups: Vec<(String, Vec<&EventResult>)> = Vec::new();
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for e in computed(s, false) {
        match at.get(e.id.as_str()) {
            Some(&i) => groups[i].1.push(e),
            None => {
                at.insert(&e.id, groups.len());
                groups.push((e.id.clone(), vec![e]));
            }
        }
    }
    groups.retain(|(_, v)| v.len() >= 2);
    groups.sort_by(|a, b| a.1[0].event_date.cmp(&b.1[0].event_date));
    groups.into_iter()
}

fn ticker_color(s: &Summary, t: &str) -> RGBColor {
    let i = s.config.tickers.iter().position(|x| x == t).unwrap_or(0);
    SERIES[i % SERIES.len()]
}

impl Chart for CrossChart {
    const NAME: &'static str = "cross";
    fn frame(&self, s: &Summary) -> Frame {
        let evs: Vec<(String, Vec<&EventResult>)> = multi_ticker_events(s).collect();
        let mut tickers: Vec<String> = Vec::new();
        for (_, v) in &evs {
            for e in v {
                if !tickers.contains(&e.ticker) {
                    tickers.push(e.ticker.clone());
                }
            }
        }
        tickers.sort_by_key(|t| s.config.tickers.iter().position(|x| x == t));
        let mut legend: Vec<(RGBColor, Mark, String)> =
            tickers.iter().take(SERIES.len()).map(|t| (ticker_color(s, t), Mark::Line, t.clone())).collect();
        if evs.is_empty() {
            // Nothing to draw: no "CAR of -" title and no legend for lines that are not there.
            return Frame {
                title: "One event across tickers: no shared event in this study".into(),
                subtitle: format!("{}. This chart compares tickers on the same news item; this study has none with two computed tickers.", method(s)),
                legend: vec![],
                panels: 0,
            };
        }
        legend.push((DAY0, Mark::Dashed, "day 0".into()));
        Frame {
            title: format!("One event across tickers: {} of {} around each shared event", Units::of(s).car(), names(&tickers)),
            subtitle: format!(
                "{}. Each panel is one news item; each line is one ticker's {} from the first day of the event window, in {} (day 0 is placed per ticker's own trading session).{}",
                method(s),
                Units::of(s).car(),
                Units::of(s).axis_unit(),
                shown_note(evs.len(), "events", "car.csv")
            ),
            legend,
            panels: evs.len().min(MAX_PANELS),
        }
    }
    fn body<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, s: &Summary) -> Result<Option<String>> {
        let evs: Vec<(String, Vec<&EventResult>)> = multi_ticker_events(s).take(MAX_PANELS).collect();
        let none = "No event of this study has more than one computed ticker (study several tickers to compare them).";
        small_multiples(area, &evs, none, |panel, (_, v)| cross_panel(panel, s, v))
    }
}

fn cross_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &Summary, v: &[&EventResult]) -> Result<()> {
    let first = v[0];
    let x0 = v.iter().map(|e| e.ar[0].day).min().unwrap_or(0) as f64;
    let x1 = v.iter().map(|e| e.ar[e.ar.len() - 1].day).max().unwrap_or(0) as f64;
    let u = Units::of(s);
    let k = u.scale();
    let (lo, hi) = y_range(v.iter().flat_map(|e| e.ar.iter().map(|r| k * r.car)));
    let (w, _) = area.dim_in_pixel();
    // Room on the right for the tickers' names at the ends of their lines.
    let longest = v.iter().map(|e| text_width(&e.ticker, 13.0, true)).fold(0.0, f64::max);
    let per_day = (w as f64 - 90.0) / (x1 - x0 + 1.0);
    let label_room = 0.5 + (longest + 8.0) / per_day.max(1.0);
    let kind = if first.kind.is_empty() { String::new() } else { format!(" ({})", first.kind) };
    let head = if first.headline.is_empty() { first.id.clone() } else { first.headline.clone() };
    let caption = fit(&format!("{}{kind}: {head}", first.event_date), w as f64 - 30.0, 16.0, true);
    // No day labels under the room kept for the names.
    let x_label = |x: &f64| if *x > x1 + 0.01 { String::new() } else { day_label(x) };
    let x = x0 - 0.5..x1 + label_room;
    let mut chart =
        day_chart(area, caption, x.clone(), (lo, hi), &format!("{} ({})", u.car(), u.axis_unit()), &x_label, true)?;
    day_guides(&mut chart, x, (lo, hi))?;
    for e in v {
        let c = ticker_color(s, &e.ticker);
        chart
            .draw_series(LineSeries::new(e.ar.iter().map(|r| (r.day as f64, k * r.car)), c.stroke_width(3)))
            .map_err(draw_err)?;
        chart
            .draw_series(e.ar.iter().map(|r| Circle::new((r.day as f64, k * r.car), 3, c.filled())))
            .map_err(draw_err)?;
    }
    // The ticker's name at the end of its line, where a reader looks last.
    let label = (FONT, 13).into_font().style(FontStyle::Bold);
    let mut placed: Vec<f64> = Vec::new();
    let step = 0.06 * (hi - lo);
    for e in v {
        let last = &e.ar[e.ar.len() - 1];
        let mut y = k * last.car;
        while placed.iter().any(|p| (p - y).abs() < step) {
            y += step;
        }
        placed.push(y);
        let pos = plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        );
        chart
            .draw_series(std::iter::once(Text::new(
                e.ticker.clone(),
                (last.day as f64 + 0.3, y),
                label.clone().color(&ticker_color(s, &e.ticker)).pos(pos),
            )))
            .map_err(draw_err)?;
    }
    Ok(())
}

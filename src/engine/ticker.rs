//! One ticker's share of the study: load its prices, build its design once, place day 0 of
//! each of its events on its own calendar, and compute every event (and chain).

use super::event::{blank_result, exclude};
use super::plan::{price_input, Plan};
use super::windows::{kept_day0, Excluded};
use super::{Engine, EventContext};
use crate::codes::{InputRole, Reason};
use crate::error::Result;
use crate::observation::EventStats;
use crate::session::{place_day0, Placement, Session};
use crate::summary::{EventResult, InputFile, PlotPrices, Status, CHART_PANELS, PRICE_CHART_TICKERS};

/// What one ticker contributes to the study.
pub struct TickerWork {
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    pub input: Option<InputFile>,
    pub plot: Option<PlotPrices>,
    pub results: Vec<EventResult>,
    pub stats: Vec<EventStats>,
    /// Computed events with estimation points (the first [`CHART_PANELS`] keep them).
    pub scatter_events: usize,
}

impl Engine<'_> {
    /// Loads ticker number `ti` of the plan and computes each of its events.
    pub fn ticker_work(
        &self,
        plan: &Plan,
        ti: usize,
        ticker: &str,
        bench: &str,
        session: &Session,
    ) -> Result<TickerWork> {
        let cfg = self.cfg;
        // Every event of the ticker places its day 0 (neighbours count for every event); only
        // those of the kinds studied are computed.
        let all_evs = plan.events_of(ticker);
        let evs: Vec<_> = all_evs.iter().copied().filter(|e| plan.studies(e)).collect();
        let mut w = TickerWork {
            notes: vec![],
            warnings: vec![],
            input: None,
            plot: None,
            results: vec![],
            stats: vec![],
            scatter_events: 0,
        };
        if evs.is_empty() {
            w.notes.push(format!(
                "no event in {} concerns {ticker}: name it in the ticker column, or leave that column empty for events that concern every ticker",
                cfg.events_file().display()
            ));
        }
        let Some(stock) = plan.prices.load(ticker)? else {
            for e in evs {
                let mut r = blank_result(e, ticker, false);
                exclude(
                    &mut r,
                    Excluded {
                        reason: Reason::NoPriceFile,
                        why: format!("no prices for {ticker}: {}", plan.prices.expected(ticker)),
                    },
                );
                w.results.push(r);
            }
            return Ok(w);
        };
        w.warnings.extend(stock.warnings.iter().cloned());
        if cfg.charts() && ti < PRICE_CHART_TICKERS {
            w.plot = Some(PlotPrices {
                ticker: ticker.to_string(),
                dates: stock.dates.clone(),
                prices: stock.prices.clone(),
                column: stock.price_column.clone(),
            });
        }
        let market = plan.benchmarks.get(bench).and_then(|m| m.as_ref());
        let market_sim = self.model.uses_market() && market.is_some_and(|m| m.1);
        let sim = market_sim || plan.manifest.as_ref().is_some_and(|m| m.covers(&stock.path, &stock.sha256));
        w.input = Some(price_input(InputRole::Stock, &stock, sim));
        let design = match self.design(&stock, market.map(|m| &m.0), plan.factors.as_ref()) {
            Ok(d) => d,
            Err(x) => {
                for e in evs {
                    let mut r = blank_result(e, ticker, sim);
                    exclude(&mut r, x.clone());
                    w.results.push(r);
                }
                return Ok(w);
            }
        };
        let all_placements: Vec<Placement> =
            all_evs.iter().map(|e| place_day0(&design.dates, e, session, cfg.method.non_trading)).collect();
        let day0s: Vec<(String, Option<usize>)> =
            all_evs.iter().zip(&all_placements).map(|(e, p)| (e.id.clone(), p.index)).collect();
        let placements: Vec<Placement> =
            all_evs.iter().zip(&all_placements).filter(|(e, _)| plan.studies(e)).map(|(_, p)| p.clone()).collect();
        let mut by_row: Vec<(usize, usize)> =
            day0s.iter().enumerate().filter_map(|(k, (_, row))| row.map(|r| (r, k))).collect();
        by_row.sort_unstable();
        let folded = self.folded(&stock, market.map(|m| &m.0));
        let est_len = (cfg.method.estimation.1 - cfg.method.estimation.0 + 1).max(0) as usize;
        let calendar = crate::observation::Calendar::shared(&design.dates, evs.len(), est_len);
        let ctx = EventContext {
            ticker,
            benchmark: bench,
            simulated: sim,
            day0s: &day0s,
            by_row: &by_row,
            folded: &folded,
            calendar: calendar.as_ref(),
        };
        // One (ticker, day 0) is one observation: a later event on the same day 0 is reported,
        // but merged into the first one in the across-event tests.
        let mut first_on_day: std::collections::HashMap<usize, &str> = std::collections::HashMap::new();
        for (e, p) in evs.iter().zip(&placements) {
            let (mut r, st) = self.compute_event(&design, e, p, &ctx);
            let merged = kept_day0(&design.dates, p).and_then(|row| match first_on_day.get(&row) {
                Some(first) => Some(first.to_string()),
                None => {
                    first_on_day.insert(row, &e.id);
                    None
                }
            });
            match (merged, st) {
                (Some(first), st) => {
                    if st.is_some() {
                        r.notes.push(format!(
                            "merged into event {first}: same day 0 ({}) for {ticker}; reported here, counted once (as {first}) in the across-event tests",
                            r.day0.as_deref().unwrap_or("")
                        ));
                    }
                    r.merged_into = Some(first);
                }
                (None, st) => w.stats.extend(st),
            }
            // Only the first events' estimation points can be charted: the others are counted.
            if r.status == Status::Ok && !r.estimation_points.is_empty() {
                w.scatter_events += 1;
            }
            if r.status != Status::Ok || w.scatter_events > CHART_PANELS {
                r.estimation_points = Vec::new();
            }
            w.results.push(r);
        }
        if cfg.method.chain {
            // Chains are not in the estimation scatter.
            w.results.extend(self.chains(&design, &evs, &placements, &ctx).into_iter().map(|mut r| {
                r.estimation_points = Vec::new();
                r
            }));
        }
        Ok(w)
    }
}

//! The event-study engine: for every requested (event, ticker) pair, place day 0 on the
//! ticker's own trading calendar, fit the normal-return model over the estimation window, and
//! compute abnormal values and CARs with their forecast-error variance. It works on plain
//! vectors that the loading layer produced and returns a [`Summary`]; it prints nothing.
//!
//! The stages, each in its own file: [`plan`] (events, tickers, benchmarks, sessions, inputs),
//! [`ticker`] (one ticker's design and events), [`windows`] (windows and exclusions),
//! [`event`] (the per-event computation), [`chains`] (`--chain`), then the across-event tests
//! of [`crate::aggregate`]. The model ([`crate::model`]) and the measure
//! ([`crate::measure`]) are chosen once, in [`Engine::new`]; no stage knows which they are.

pub mod chains;
pub mod claims;
pub mod conventions;
pub mod event;
pub mod garch_dummies;
pub mod plan;
pub mod ticker;
pub mod windows;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::StudyConfig;
use crate::error::Result;
use crate::load::{FactorTable, PriceSeries};
use crate::measure::Measure;
use crate::model::{Design, NormalModel};
use crate::summary::{ConfigOut, Summary, Tool};
use plan::Plan;
use ticker::TickerWork;

/// A study's options with the model and the measure they chose.
pub struct Engine<'a> {
    pub cfg: &'a StudyConfig,
    pub model: Box<dyn NormalModel>,
    pub measure: Box<dyn Measure>,
    /// The windows of the study's claims, computed for each event beside its CAR windows.
    pub claim_windows: Vec<crate::config::Window>,
}

impl<'a> Engine<'a> {
    pub fn new(cfg: &'a StudyConfig) -> Engine<'a> {
        Engine {
            cfg,
            model: crate::model::for_config(cfg),
            measure: crate::measure::for_config(cfg),
            claim_windows: vec![],
        }
    }

    /// The design of one ticker: its measured series joined with its benchmark's, and the
    /// model's regressors (`factors` for factor models).
    pub fn design(
        &self,
        stock: &PriceSeries,
        market: Option<&PriceSeries>,
        factors: Option<&FactorTable>,
    ) -> std::result::Result<Design, windows::Excluded> {
        let common = market.filter(|_| self.model.uses_market()).and_then(|m| on_common_calendar(stock, m));
        let stock = common.as_ref().unwrap_or(stock);
        let series = self.measure.series(stock, market).map_err(|(reason, why)| windows::Excluded { reason, why })?;
        Ok(self.model.design(series, factors))
    }

    /// The stock sessions without a benchmark price, each with the common date whose return
    /// takes its move (none when the model does not use the benchmark).
    pub fn folded(&self, stock: &PriceSeries, market: Option<&PriceSeries>) -> Vec<(NaiveDate, NaiveDate)> {
        match market {
            Some(m) if self.model.uses_market() => folded_days(stock, m),
            _ => vec![],
        }
    }
}

/// The stock's sessions the benchmark has no price for (a benchmark holiday, such as a US
/// holiday for a Hong Kong line), each with the next date both have; sessions after the
/// benchmark's last date join none and are left out of the pairs.
fn folded_days(stock: &PriceSeries, market: &PriceSeries) -> Vec<(NaiveDate, NaiveDate)> {
    folded_rows(&stock.dates, &crate::measure::benchmark_rows(&stock.dates, &market.dates))
}

/// [`folded_days`] from the benchmark row of each stock date.
fn folded_rows(dates: &[NaiveDate], rows: &[Option<usize>]) -> Vec<(NaiveDate, NaiveDate)> {
    let first_common = rows.iter().position(Option::is_some);
    let mut out = Vec::new();
    let mut pending: Vec<NaiveDate> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match r {
            Some(_) if !pending.is_empty() => out.extend(pending.drain(..).map(|d| (d, dates[i]))),
            Some(_) => {}
            None if first_common.is_some_and(|f| i > f) => pending.push(dates[i]),
            None => {}
        }
    }
    out
}

/// The stock on the calendar it shares with the benchmark, when a stock session between two
/// common dates lacks a benchmark price (`None` otherwise): trade-to-trade, so the return to a
/// common date spans every stock session since the previous common date (a benchmark holiday
/// is not a reason to exclude an event). Volumes of the left-out sessions are left out.
fn on_common_calendar(stock: &PriceSeries, market: &PriceSeries) -> Option<PriceSeries> {
    let rows = crate::measure::benchmark_rows(&stock.dates, &market.dates);
    if folded_rows(&stock.dates, &rows).is_empty() {
        return None;
    }
    let keep: Vec<usize> = rows.iter().enumerate().filter_map(|(i, r)| r.map(|_| i)).collect();
    Some(PriceSeries {
        dates: keep.iter().map(|&i| stock.dates[i]).collect(),
        prices: keep.iter().map(|&i| stock.prices[i]).collect(),
        volumes: stock.volumes.as_ref().map(|v| keep.iter().map(|&i| v[i]).collect()),
        ..stock.clone()
    })
}

/// What [`Engine::compute_event`] needs to know about the ticker beside its design.
pub struct EventContext<'a> {
    pub ticker: &'a str,
    /// The ticker's benchmark (reported with market-based models).
    pub benchmark: &'a str,
    /// Whether the inputs are the bundled simulated sample.
    pub simulated: bool,
    /// The day-0 rows of the ticker's events (for overlap and contamination notes).
    pub day0s: &'a [(String, Option<usize>)],
    /// The placed day 0s as (row, index into `day0s`), sorted by row.
    pub by_row: &'a [(usize, usize)],
    /// Stock sessions without a benchmark price and the common date that takes their move.
    pub folded: &'a [(NaiveDate, NaiveDate)],
    /// The design's dates, shared by the events' estimation days (when that saves memory).
    pub calendar: Option<&'a std::sync::Arc<crate::observation::Calendar>>,
}

/// Tickers loaded and computed one after the other by a thread before it looks for more.
const TICKERS_PER_TASK: usize = 4;

/// Runs the whole study described by `cfg`.
///
/// The options are validated first (on a copy), so a configuration built with
/// [`StudyConfig::with_defaults`] and edited runs as the same options would on the command line.
pub fn run_study(cfg: &StudyConfig) -> Result<Summary> {
    let mut validated = cfg.clone();
    validated.validate()?;
    let cfg = &validated;
    let mut engine = Engine::new(cfg);
    let mut plan = Plan::build(&engine)?;
    crate::memory::for_study(plan.pairs());
    engine.claim_windows = plan.claims.iter().map(|c| c.window).collect();
    engine.claim_windows.sort_unstable();
    engine.claim_windows.dedup();
    // Each ticker is independent: load its prices and compute its events in parallel, then
    // put the pieces together in ticker order, so the outputs do not depend on the threads.
    // It runs on polars' thread pool, which also reads the CSV files: a worker of another pool
    // waiting on polars would steal more tickers and nest without bound.
    let t = crate::timing::phase("tickers: load, fit, events");
    let bar = crate::progress::bar(plan.tickers.len(), "tickers: load, fit, events");
    let work: Vec<Result<TickerWork>> = polars_core::runtime::THREAD_POOL.install(|| {
        plan.tickers
            .par_iter()
            .zip(&plan.resolved)
            .enumerate()
            // A few tickers a task: rayon stops splitting a range once a thread runs it, and
            // the last range of a study of 3,000 tickers kept one core busy alone for 0.1 s.
            .with_max_len(TICKERS_PER_TASK)
            .map(|(ti, (ticker, (bench, session)))| {
                let w = engine.ticker_work(&plan, ti, ticker, bench, session);
                bar.inc(1);
                w
            })
            .collect()
    });
    crate::progress::done(bar);
    drop(t);
    // Every ticker has its prices: a panel's table is not needed beside the tests.
    plan.prices.release_panel();
    let work: Vec<TickerWork> = work.into_iter().collect::<Result<_>>()?;
    let mut results = Vec::with_capacity(work.iter().map(|w| w.results.len()).sum());
    let mut stats = Vec::with_capacity(work.iter().map(|w| w.stats.len()).sum());
    let (mut plot_prices, mut scatter_events, mut scatter_total) = (Vec::new(), 0, 0);
    let mut scatter_tickers = Vec::new();
    for (mut w, ticker) in work.into_iter().zip(&plan.tickers) {
        // Estimation points beyond the first chartable events are dropped as they come in.
        for r in w.results.iter_mut() {
            if !r.estimation_points.is_empty() {
                if scatter_events >= crate::summary::CHART_PANELS {
                    r.estimation_points = Vec::new();
                } else {
                    scatter_events += 1;
                }
            }
        }
        scatter_total += w.scatter_events;
        if w.scatter_events > 0 {
            scatter_tickers.push(ticker.clone());
        }
        plan.notes.extend(w.notes);
        plan.warnings.extend(w.warnings);
        plan.inputs.extend(w.input);
        plot_prices.extend(w.plot);
        results.extend(w.results);
        stats.extend(w.stats);
    }
    let mut exclusions = BTreeMap::new();
    for reason in results.iter().filter_map(|r: &crate::summary::EventResult| r.reason) {
        *exclusions.entry(reason).or_insert(0) += 1;
    }
    let t = crate::timing::phase("across-event tests");
    let aggregate = crate::aggregate::aggregate_with(cfg, &stats, &plan.tickers, &|groups| {
        crate::progress::bar(groups, "across-event tests (groups)")
    });
    crate::aggregate::adjust_event_cars(&mut results, cfg.tests.adjust);
    drop(t);
    crate::timing::print_sums();
    let claims = engine.claims(&plan.claims, &stats);
    // The across-event inputs are freed beside the outputs, not before them.
    std::thread::spawn(move || drop(stats));
    let any_sim = plan.inputs.iter().any(|i| i.simulated);
    let benchmarks: Vec<(String, String)> = plan
        .tickers
        .iter()
        .zip(&plan.resolved)
        .map(|(t, (b, _))| (t.clone(), if engine.model.uses_market() { b.clone() } else { String::new() }))
        .collect();
    let study_hash = cfg.study_hash(&plan.tickers, &benchmarks);
    let stem = cfg.study_name(&plan.tickers, &plan.used_benchmarks(cfg), engine.model.uses_market());
    let study = match &cfg.output.name {
        Some(n) => n.clone(),
        None => format!("{stem}-{study_hash}"),
    };
    Ok(Summary {
        tool: Tool { name: "eventstudy".into(), version: env!("CARGO_PKG_VERSION").into() },
        study,
        study_hash,
        config: config_out(&engine, &plan),
        conventions: engine.conventions(),
        data_notice: any_sim.then(|| crate::simulate::notice(plan.manifest.as_ref())),
        inputs: plan.inputs,
        notes: plan.notes,
        warnings: plan.warnings,
        events: results,
        aggregate,
        exclusions,
        claims,
        plot_prices,
        scatter_events: scatter_total,
        scatter_tickers,
    })
}

/// The options in force, as recorded in `summary.json`.
fn config_out(engine: &Engine, plan: &Plan) -> ConfigOut {
    let cfg = engine.cfg;
    ConfigOut {
        tickers: plan.tickers.clone(),
        market: cfg.market().to_string(),
        tickers_info: plan.ticker_info.clone(),
        method: cfg.method_in_force(),
        factor_files: plan
            .inputs
            .iter()
            .filter(|i| i.role == crate::codes::InputRole::Factors)
            .map(|i| i.path.clone())
            .collect(),
        group_by: crate::aggregate::group_kinds(cfg, plan.tickers.len()),
        tests: cfg.tests.clone(),
        data_dir: cfg.data_dir().display().to_string(),
        events_file: cfg.events_file().display().to_string(),
        kind: cfg.input.kind.iter().map(|k| k.trim().to_lowercase()).collect(),
        date_order: cfg.input.date_order,
        out_dir: cfg.out_dir().display().to_string(),
    }
}

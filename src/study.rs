//! The event-study engine: for every requested (event, ticker) pair, place day 0 on the
//! ticker's own trading calendar, fit the market model over the estimation window, and compute
//! abnormal returns and CARs with their exact forecast-error variance. It works on plain
//! vectors that the loading layer produced and returns a [`Summary`]; it prints nothing.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::{BetaKind, ModelKind, ReturnKind, S2Denominator, StudyConfig, Window};
use crate::error::{Error, Result};
use crate::load::{
    default_factor_files, find_price_file, load_events, load_factors, load_panel, load_prices_with, load_tickers, Event, FactorTable, Panel,
    PriceOptions, PriceSeries, TickerTable,
};
use crate::session::{place_day0, session_for, Placement, Session};
use crate::simulate::SimManifest;
use crate::stats::car::car_variance;
use crate::stats::nonsync;
use crate::stats::ols::{self, FitError, OlsFit};
use crate::stats::tdist::t_p;
use crate::summary::*;

/// A day 0 more than this many calendar days after the event date means the data has a gap
/// there, and the event is excluded rather than silently moved.
const MAX_DAY0_GAP_DAYS: i64 = 7;

/// A stock's returns joined with its benchmark's on the stock's own trading calendar.
#[derive(Debug, Clone)]
pub struct JoinedReturns {
    pub dates: Vec<NaiveDate>,
    /// `ret[i]` is the return from row i−1 to row i (NaN for i = 0).
    pub ret: Vec<f64>,
    /// The benchmark's return over the same two dates, when it has prices on both.
    pub market: Vec<Option<f64>>,
}

/// Joins prices on date first, then computes returns, so that a day missing from one file
/// never pairs a two-day stock return with a one-day market return (SPEC §3.1). Without a
/// benchmark every row has no market return.
pub fn join_returns(stock: &PriceSeries, market: Option<&PriceSeries>, kind: ReturnKind) -> JoinedReturns {
    let n = stock.dates.len();
    let f = |a: f64, b: f64| match kind {
        ReturnKind::Simple => b / a - 1.0,
        ReturnKind::Log => (b / a).ln(),
    };
    let mut ret = vec![f64::NAN; n];
    for i in 1..n {
        ret[i] = f(stock.prices[i - 1], stock.prices[i]);
    }
    let mut mret = vec![None; n];
    if let Some(m) = market {
        // Both calendars are sorted: the benchmark's row of each stock date, in one merge.
        let mut mpos: Vec<Option<usize>> = vec![None; n];
        let mut j = 0;
        for (i, d) in stock.dates.iter().enumerate() {
            while j < m.dates.len() && m.dates[j] < *d {
                j += 1;
            }
            if j < m.dates.len() && m.dates[j] == *d {
                mpos[i] = Some(j);
            }
        }
        for i in 1..n {
            if let (Some(j0), Some(j1)) = (mpos[i - 1], mpos[i]) {
                mret[i] = Some(f(m.prices[j0], m.prices[j1]));
            }
        }
    }
    JoinedReturns { dates: stock.dates.clone(), ret, market: mret }
}

/// Runs the whole study described by `cfg`.
pub fn run_study(cfg: &StudyConfig) -> Result<Summary> {
    if !cfg.data_dir.is_dir() {
        return Err(Error::Usage(format!("--data {}: no such directory", cfg.data_dir.display())));
    }
    let t = crate::timing::phase("events file");
    let (events, events_sha) = load_events(&cfg.events_file)?;
    drop(t);
    let manifest = SimManifest::read(&cfg.data_dir);
    let mut warnings = Vec::new();

    // Which tickers: those asked for, or every ticker named in the events file.
    let tickers: Vec<String> = match &cfg.tickers {
        Some(t) => t.clone(),
        None => {
            let mut seen: Vec<String> = Vec::new();
            let mut known = std::collections::HashSet::new();
            for t in events.iter().flat_map(|e| e.tickers.iter()) {
                if known.insert(t.to_ascii_uppercase()) {
                    seen.push(t.clone());
                }
            }
            if seen.is_empty() {
                return Err(Error::Usage(format!(
                    "no tickers to study: name them with --ticker, or in the 'ticker' column of {}",
                    cfg.events_file.display()
                )));
            }
            for t in &seen {
                crate::config::validate_ticker(t).map_err(|_| {
                    Error::Data(format!("{}: '{t}' in the ticker column is not a valid ticker name", cfg.events_file.display()))
                })?;
            }
            seen
        }
    };

    // An explicitly requested ticker or benchmark without prices is a usage error.
    let prices = PriceSource::new(cfg)?;
    let missing = |t: &str| prices.missing(t);
    if let Some(req) = &cfg.tickers {
        for t in req {
            if !prices.has(t) {
                return Err(missing(t));
            }
        }
    }
    let mut inputs = vec![InputFile {
        role: "events".into(),
        ticker: None,
        path: cfg.events_file.display().to_string(),
        sha256: events_sha,
        price_column: None,
        rows: Some(events.len()),
        first_date: None,
        last_date: None,
        simulated: false,
    }];
    let ticker_table = if cfg.tickers_file.is_file() { Some(load_tickers(&cfg.tickers_file)?) } else { None };
    if let Some(t) = &ticker_table {
        inputs.push(InputFile {
            role: "tickers".into(),
            ticker: None,
            path: t.path.display().to_string(),
            sha256: t.sha256.clone(),
            price_column: None,
            rows: Some(t.rows.len()),
            first_date: None,
            last_date: None,
            simulated: false,
        });
    }
    let factors = if cfg.model.is_factor_model() { Some(load_model_factors(cfg, &mut inputs)?) } else { None };

    // Benchmarks, each loaded once: required by the market-based models; otherwise read when
    // present, for the market_ret column.
    let mut benchmarks: BTreeMap<String, Option<(PriceSeries, bool)>> = BTreeMap::new();
    let mut ticker_info = BTreeMap::new();
    let tickers_file = cfg.tickers_file.display().to_string();
    // Per ticker, aligned with `tickers`: its benchmark and its trading session.
    let mut resolved: Vec<(String, Session)> = Vec::with_capacity(tickers.len());
    for ticker in &tickers {
        let (bench, from) = benchmark_for(cfg, ticker, ticker_table.as_ref());
        if !benchmarks.contains_key(&bench) {
            let loaded = match prices.load(&bench) {
                Ok(Some(m)) => {
                    warnings.extend(m.warnings.iter().cloned());
                    let sim = manifest.as_ref().is_some_and(|x| x.covers(&m.path, &m.sha256));
                    inputs.push(price_input("market", &m, sim));
                    Some((m, sim))
                }
                Ok(None) if !cfg.model.uses_market() => None,
                Err(e) if !cfg.model.uses_market() => {
                    warnings.push(format!("the benchmark {bench} was not read ({e}); the model does not use it, and market_ret is left empty"));
                    None
                }
                Err(e) => return Err(e),
                Ok(None) => match &from {
                    BenchmarkFrom::TickersFile(line) => {
                        return Err(Error::at(
                            &cfg.tickers_file,
                            Some(*line),
                            Some("benchmark"),
                            format!("benchmark '{bench}' of {ticker} has no price file; expected {}/{bench}.csv", cfg.data_dir.display()),
                        ))
                    }
                    _ => return Err(missing(&bench)),
                },
            };
            benchmarks.insert(bench.clone(), loaded);
        }
        let info = ticker_table.as_ref().and_then(|t| t.get(ticker));
        let session = session_for(ticker, info, &tickers_file);
        ticker_info.insert(
            ticker.clone(),
            TickerOut {
                benchmark: cfg.model.uses_market().then(|| bench.clone()),
                benchmark_from: cfg.model.uses_market().then(|| from.describe(&cfg.tickers_file)),
                session: session.describe(),
                exchange: info.and_then(|i| i.exchange.clone()),
                currency: info.and_then(|i| i.currency.clone()),
            },
        );
        resolved.push((bench, session));
    }

    let mut results = Vec::new();
    let mut stats = Vec::new();
    let mut plot_prices = Vec::new();
    let mut notes = cfg.notes.clone();
    for (t, b) in &cfg.market_for {
        if !tickers.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            notes.push(format!("--market {t}={b} names a ticker that is not in this study; it is not used"));
        }
    }
    // Events of each ticker, found once (events without tickers concern every ticker).
    let mut by_ticker: HashMap<String, Vec<usize>> = HashMap::new();
    let mut for_all: Vec<usize> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if e.tickers.is_empty() {
            for_all.push(i);
        }
        for t in &e.tickers {
            let v = by_ticker.entry(t.to_ascii_uppercase()).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    // Each ticker is independent: load its prices and compute its events in parallel, then
    // put the pieces together in ticker order, so the outputs do not depend on the threads.
    // It runs on polars' thread pool, which also reads the CSV files: a worker of another pool
    // waiting on polars would steal more tickers and nest without bound.
    let t = crate::timing::phase("tickers: load, fit, events");
    let work: Vec<Result<TickerWork>> = polars_core::runtime::THREAD_POOL.install(|| {
        tickers
        .par_iter()
        .zip(&resolved)
        .enumerate()
        .map(|(ti, (ticker, (bench, session)))| {
            let mut idx: Vec<usize> = by_ticker.get(&ticker.to_ascii_uppercase()).cloned().unwrap_or_default();
            idx.extend(&for_all);
            idx.sort_unstable();
            idx.dedup();
            let evs: Vec<&Event> = idx.iter().map(|&i| &events[i]).collect();
            ticker_work(cfg, ti, ticker, bench, session, &evs, &prices, &benchmarks, manifest.as_ref(), factors.as_ref())
        })
        .collect()
    });
    drop(t);
    for w in work {
        let w = w?;
        notes.extend(w.notes);
        warnings.extend(w.warnings);
        inputs.extend(w.input);
        plot_prices.extend(w.plot);
        results.extend(w.results);
        stats.extend(w.stats);
    }

    let mut exclusions = BTreeMap::new();
    for r in &results {
        if let Some(reason) = &r.reason {
            *exclusions.entry(reason.clone()).or_insert(0) += 1;
        }
    }
    let t = crate::timing::phase("across-event tests");
    let aggregate = crate::aggregate::aggregate(cfg, &stats, &tickers);
    drop(t);
    let any_sim = inputs.iter().any(|i| i.simulated);
    let data_notice = any_sim.then(|| crate::simulate::notice(manifest.as_ref()));
    Ok(Summary {
        tool: Tool { name: "eventstudy".into(), version: env!("CARGO_PKG_VERSION").into() },
        study: cfg.study_name(&tickers, &used_benchmarks(cfg, &ticker_info)),
        config: ConfigOut {
            tickers: tickers.clone(),
            market: cfg.market.clone(),
            tickers_info: ticker_info,
            model: cfg.model.name().into(),
            beta: cfg.beta,
            dimson_lags: (cfg.beta == BetaKind::Dimson).then_some(cfg.dimson_lags),
            chain: cfg.chain,
            returns: cfg.returns,
            estimation: cfg.estimation,
            window: cfg.window,
            car_windows: cfg.car_windows.clone(),
            min_estimation: cfg.min_estimation,
            non_trading: cfg.non_trading,
            data_dir: cfg.data_dir.display().to_string(),
            events_file: cfg.events_file.display().to_string(),
            out_dir: cfg.out_dir.display().to_string(),
            factor_files: inputs.iter().filter(|i| i.role == "factors").map(|i| i.path.clone()).collect(),
            group_by: crate::aggregate::group_kinds(cfg, tickers.len()).iter().map(|g| format!("{g:?}").to_lowercase()).collect(),
            s2_denominator: cfg.s2_denominator,
            bmp_scale: cfg.bmp_scale,
            patell_car: cfg.patell_car,
            alternative: cfg.alternative,
            bootstrap: cfg.bootstrap,
            seed: cfg.seed,
            clean_estimation: cfg.clean_estimation,
        },
        conventions: conventions(cfg),
        inputs,
        data_notice,
        notes,
        warnings,
        events: results,
        aggregate,
        exclusions,
        plot_prices,
    })
}

/// What one ticker contributes to the study.
struct TickerWork {
    notes: Vec<String>,
    warnings: Vec<String>,
    input: Option<InputFile>,
    plot: Option<PlotPrices>,
    results: Vec<EventResult>,
    stats: Vec<EventStats>,
}

/// Loads one ticker's prices and computes each of its events.
#[allow(clippy::too_many_arguments)]
fn ticker_work(
    cfg: &StudyConfig,
    ti: usize,
    ticker: &str,
    bench: &str,
    session: &Session,
    evs: &[&Event],
    prices: &PriceSource,
    benchmarks: &BTreeMap<String, Option<(PriceSeries, bool)>>,
    manifest: Option<&SimManifest>,
    factors: Option<&FactorTable>,
) -> Result<TickerWork> {
    let mut w = TickerWork { notes: vec![], warnings: vec![], input: None, plot: None, results: vec![], stats: vec![] };
    if evs.is_empty() {
        w.notes.push(format!(
            "no event in {} concerns {ticker}: name it in the ticker column, or leave that column empty for events that concern every ticker",
            cfg.events_file.display()
        ));
    }
    let Some(stock) = prices.load(ticker)? else {
        for e in evs {
            let mut r = blank_result(e, ticker, false);
            exclude(&mut r, "no_price_file", format!("no prices for {ticker}: {}", prices.expected(ticker)));
            w.results.push(r);
        }
        return Ok(w);
    };
    w.warnings.extend(stock.warnings.iter().cloned());
    if cfg.charts && ti < crate::summary::PRICE_CHART_TICKERS {
        w.plot = Some(PlotPrices { ticker: ticker.to_string(), dates: stock.dates.clone(), prices: stock.prices.clone(), column: stock.price_column.clone() });
    }
    let market = benchmarks.get(bench).and_then(|m| m.as_ref());
    let market_sim = cfg.model.uses_market() && market.is_some_and(|m| m.1);
    let sim = market_sim || manifest.is_some_and(|m| m.covers(&stock.path, &stock.sha256));
    w.input = Some(price_input("stock", &stock, sim));
    let design = build_design(cfg.model, join_returns(&stock, market.map(|m| &m.0), cfg.returns), factors);
    let placements: Vec<Placement> = evs.iter().map(|e| place_day0(&design.dates, e, session, cfg.non_trading)).collect();
    let day0s: Vec<(String, Option<usize>)> = evs.iter().zip(&placements).map(|(e, p)| (e.id.clone(), p.index)).collect();
    let ctx = EventContext { ticker, benchmark: bench, simulated: sim, day0s: &day0s };
    for (e, p) in evs.iter().zip(&placements) {
        let (r, st) = compute_event(cfg, &design, e, p, &ctx);
        w.results.push(r);
        w.stats.extend(st);
    }
    if cfg.chain {
        w.results.extend(chains(cfg, &design, evs, &placements, &ctx));
    }
    Ok(w)
}

/// Loads the factor files of a factor model and records them as inputs.
fn load_model_factors(cfg: &StudyConfig, inputs: &mut Vec<InputFile>) -> Result<FactorTable> {
    let files = if cfg.factor_files.is_empty() { default_factor_files(&cfg.data_dir) } else { cfg.factor_files.clone() };
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "--model {} needs factor files: give them with --factors FILE (repeatable) or put them in {}",
            cfg.model.name(),
            cfg.data_dir.join("factors").display()
        )));
    }
    let f = load_factors(&files)?;
    for need in cfg.model.factors().iter().chain(["rf"].iter()) {
        if f.get(need).is_none() {
            let names: Vec<&String> = f.columns.keys().collect();
            return Err(Error::Data(format!(
                "--model {} needs the factor '{need}', which none of the factor files has (they have: {names:?})",
                cfg.model.name()
            )));
        }
    }
    for (path, sha, percent) in &f.files {
        inputs.push(InputFile {
            role: "factors".into(),
            ticker: None,
            path: path.display().to_string(),
            sha256: sha.clone(),
            price_column: Some(if *percent { "percent (Ken French file), divided by 100".into() } else { "decimal".into() }),
            rows: Some(f.dates.len()),
            first_date: f.dates.first().map(|d| d.to_string()),
            last_date: f.dates.last().map(|d| d.to_string()),
            simulated: false,
        });
    }
    Ok(f)
}

fn conventions(cfg: &StudyConfig) -> Conventions {
    use crate::config::{Alternative, BmpScale, PatellCar};
    let k = cfg.model.regressors().len();
    let k_text = if cfg.model == ModelKind::MarketAdjusted { "0, nothing estimated".to_string() } else { k.to_string() };
    Conventions {
        s2_denominator: match cfg.s2_denominator {
            S2Denominator::MK1 => format!("M-k-1 (SSR/(M-k-1), unbiased OLS, MacKinlay 1997; k = {k_text})"),
            S2Denominator::M1 => "M-1 (SSR/(M-1), the sample variance of the residuals, as estudy2)".into(),
            S2Denominator::M => "M (SSR/M, as the PyPI eventstudy package)".into(),
        },
        car_variance: if cfg.model == ModelKind::MarketAdjusted {
            "L * s^2 (market-adjusted: no estimation error)".into()
        } else {
            "exact forecast-error variance s^2 * 1'(I + X*(X'X)^-1 X*')1".into()
        },
        t_distribution: "per event: Student t with M-k-1 degrees of freedom".into(),
        p_value: match cfg.alternative {
            Alternative::TwoSided => "two-sided".into(),
            Alternative::Greater => "one-sided, alternative: greater than zero".into(),
            Alternative::Less => "one-sided, alternative: less than zero".into(),
        },
        day0: match cfg.non_trading {
            crate::session::NonTrading::Next => "date-only events: first trading day of the ticker on or after the date",
            crate::session::NonTrading::Previous => "date-only events: the date if it is a trading day of the ticker, else the last one before it",
            crate::session::NonTrading::Skip => "date-only events: the date if it is a trading day of the ticker, else skipped (non_trading_day)",
        }
        .to_string()
            + "; timestamped events: first session of the ticker whose close (local time, IANA daylight saving) is at or after the instant",
        beta: match cfg.beta {
            BetaKind::Ols => "OLS on same-day returns".into(),
            BetaKind::ScholesWilliams => "Scholes-Williams (1977): (b-1 + b0 + b+1)/(1 + 2 rho_m); alpha = mean(R) - beta mean(Rm); s^2 = SSR/(M-2); Var(CAR) with the market model's (X'X)^-1".into(),
            BetaKind::Dimson => format!("Dimson (1979) with {n} lag(s) and lead(s): sum of the slopes on Rm(t-{n})..Rm(t+{n}); alpha = mean(R) - beta mean(Rm); s^2 = SSR/(M-2); Var(CAR) with the market model's (X'X)^-1", n = cfg.dimson_lags),
        },
        returns: match cfg.returns {
            ReturnKind::Simple => "simple, P_t/P_{t-1} - 1, trade-to-trade on the stock's own rows; benchmark joined on date".into(),
            ReturnKind::Log => "log, ln(P_t/P_{t-1}), trade-to-trade on the stock's own rows; benchmark joined on date".into(),
        },
        significance_marks: "* p<0.10, ** p<0.05, *** p<0.01".into(),
        confidence_band: "95%: CAR +/- t(0.975, M-k-1) * se; CAAR +/- t(0.975, N-1) * sd(CAR_i)/sqrt(N) (one event: its own CAR band)".into(),
        bmp: match cfg.bmp_scale {
            BmpScale::Fec => "standardised with the forecast-error variance (estudy2, EventStudyTools, Stata eventstudy2)".into(),
            BmpScale::Plain => "standardised with the plain residual s (EventStudy 0.50 for R)".into(),
        },
        patell_car: match cfg.patell_car {
            PatellCar::Exact => "SCAR = CAR / sqrt(exact Var(CAR)); Z = sum SCAR / sqrt(sum d/(d-2))".into(),
            PatellCar::SumSar => "SCAR = sum SAR / sqrt(L) (EventStudyTools); Z = sum SCAR / sqrt(sum d/(d-2))".into(),
        },
        kolari_pynnonen: "r-bar = sum of pairwise correlations of estimation residuals on common calendar dates / number of pairs (pairs with fewer than 3 common dates contribute zero)".into(),
        corrado_rank: "ranks over each event's estimation days plus the whole event window (Corrado 1989, Cowan 1992), U = K/(T+1)".into(),
        generalized_sign: "p-hat = mean share of positive estimation-window abnormal returns (Cowan 1992)".into(),
        bootstrap: format!("bootstrap-t resampling events, {} resamples, seed {}", cfg.bootstrap, cfg.seed),
        bhar: "prod(1+R) - prod(1+E[R]) over the window, on simple returns".into(),
    }
}

fn price_input(role: &str, s: &PriceSeries, simulated: bool) -> InputFile {
    InputFile {
        role: role.into(),
        ticker: Some(s.ticker.clone()),
        path: s.path.display().to_string(),
        sha256: s.sha256.clone(),
        price_column: Some(s.price_column.clone()),
        rows: Some(s.dates.len()),
        first_date: s.dates.first().map(|d| d.to_string()),
        last_date: s.dates.last().map(|d| d.to_string()),
        simulated,
    }
}

/// Where prices come from: the `--panel` file first, then `<data>/<TICKER>.csv`.
struct PriceSource<'a> {
    dir: &'a std::path::Path,
    panel: Option<Panel>,
    opts: PriceOptions,
}

impl<'a> PriceSource<'a> {
    fn new(cfg: &'a StudyConfig) -> Result<PriceSource<'a>> {
        let panel = cfg.panel.as_deref().map(load_panel).transpose()?;
        Ok(PriceSource { dir: &cfg.data_dir, panel, opts: PriceOptions { crsp_negative: cfg.crsp_negative, drop_last_row: cfg.drop_last_row } })
    }

    fn has(&self, ticker: &str) -> bool {
        self.panel.as_ref().is_some_and(|p| p.has(ticker)) || find_price_file(self.dir, ticker).is_some()
    }

    fn load(&self, ticker: &str) -> Result<Option<PriceSeries>> {
        if let Some(s) = self.panel.as_ref().map(|p| p.series(ticker, &self.opts)).transpose()?.flatten() {
            return Ok(Some(s));
        }
        find_price_file(self.dir, ticker).map(|p| load_prices_with(&p, ticker, &self.opts)).transpose()
    }

    /// Where prices of `ticker` were looked for.
    fn expected(&self, ticker: &str) -> String {
        match &self.panel {
            Some(p) => format!("no column or rows '{ticker}' in {} and no file {}/{ticker}.csv", p.path.display(), self.dir.display()),
            None => format!("no file {}/{ticker}.csv", self.dir.display()),
        }
    }

    /// The usage error for a requested ticker without prices, listing what is there.
    fn missing(&self, ticker: &str) -> Error {
        let mut available = list_tickers(self.dir);
        if let Some(p) = &self.panel {
            available.extend(p.tickers());
        }
        let shown = if available.len() > 40 { format!("{}, ... ({} in all)", available[..40].join(", "), available.len()) } else { available.join(", ") };
        Error::Usage(format!(
            "no prices for '{ticker}': {}; tickers with prices: {}",
            self.expected(ticker),
            if available.is_empty() { "none".to_string() } else { shown }
        ))
    }
}

/// Tickers that have a price file in `dir` (file stems of `*.csv`, except the events file).
pub fn list_tickers(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
                .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(String::from))
                .filter(|s| !s.eq_ignore_ascii_case("events") && !s.eq_ignore_ascii_case("tickers"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Where a ticker's benchmark was chosen.
enum BenchmarkFrom {
    /// `--market` (for this ticker, or one benchmark for all).
    Option,
    /// The `benchmark` column of `tickers.csv`, at this line.
    TickersFile(usize),
    /// Nothing said: the default.
    Default,
}

impl BenchmarkFrom {
    fn describe(&self, tickers_file: &std::path::Path) -> String {
        match self {
            BenchmarkFrom::Option => "--market".into(),
            BenchmarkFrom::TickersFile(line) => format!("{} line {line}", tickers_file.display()),
            BenchmarkFrom::Default => "default".into(),
        }
    }
}

/// The benchmark of `ticker`: `--market TICKER=B`, else a single `--market B` typed on the
/// command line, else the `benchmark` column of `tickers.csv`, else the default (SPY).
fn benchmark_for(cfg: &StudyConfig, ticker: &str, table: Option<&TickerTable>) -> (String, BenchmarkFrom) {
    if let Some((_, b)) = cfg.market_for.iter().find(|(t, _)| t.eq_ignore_ascii_case(ticker)) {
        return (b.clone(), BenchmarkFrom::Option);
    }
    if cfg.market_explicit {
        return (cfg.market.clone(), BenchmarkFrom::Option);
    }
    if let Some(i) = table.and_then(|t| t.get(ticker)) {
        if let Some(b) = &i.benchmark {
            return (b.clone(), BenchmarkFrom::TickersFile(i.line));
        }
    }
    (cfg.market.clone(), BenchmarkFrom::Default)
}

/// The distinct benchmarks in use, in first-seen order (for the study name).
fn used_benchmarks(cfg: &StudyConfig, info: &BTreeMap<String, TickerOut>) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for t in cfg.tickers.iter().flatten() {
        if let Some(b) = info.get(t).and_then(|i| i.benchmark.clone()) {
            if !v.contains(&b) {
                v.push(b);
            }
        }
    }
    if v.is_empty() {
        v = info.values().filter_map(|i| i.benchmark.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    }
    v
}

/// With `--chain`: each run of events of one ticker in which every day 0 lies within the
/// post-event part of the previous event's window becomes one result, over the window from
/// the first day 0 plus the pre-event days to the last day 0 plus the post-event days. CAR
/// windows: from the first to the last day 0, from the first day 0 to the end, and the whole.
fn chains(cfg: &StudyConfig, j: &Design, evs: &[&Event], placements: &[Placement], ctx: &EventContext) -> Vec<EventResult> {
    let (w0, w1) = cfg.window;
    // Only events whose day 0 was placed and kept (not left out for a gap in the data).
    let kept = |p: &Placement| p.index.filter(|&i| (j.dates[i] - p.local_date).num_days().abs() <= MAX_DAY0_GAP_DAYS);
    let mut placed: Vec<(usize, &Event)> = evs.iter().zip(placements).filter_map(|(e, p)| kept(p).map(|i| (i, *e))).collect();
    placed.sort_by_key(|(i, e)| (*i, e.line));
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..=placed.len() {
        if k < placed.len() && placed[k].0 - placed[k - 1].0 <= w1.max(0) as usize {
            continue;
        }
        let members = &placed[start..k];
        start = k;
        let (d0, first) = members[0];
        let span = (members[members.len() - 1].0 - d0) as i32;
        if members.len() < 2 || span < 1 {
            continue; // a single event, or events sharing one day 0: nothing to chain
        }
        let ids: Vec<String> = members.iter().map(|(_, e)| e.id.clone()).collect();
        let mut r = blank_result(first, ctx.ticker, ctx.simulated);
        r.id = format!("chain:{}", ids.join("+"));
        r.kind = "chain".into();
        r.headline = format!("{} events of {} as one window: {}", ids.len(), ctx.ticker, ids.join(", "));
        r.source.clear();
        r.url.clear();
        r.day0 = Some(j.dates[d0].to_string());
        r.day0_rule = Some("chain".into());
        r.day0_reason = Some(format!("day 0 of the first event ({}); the last is at day {span:+}", first.id));
        if cfg.model.uses_market() {
            r.benchmark = Some(ctx.benchmark.to_string());
        }
        r.overlapping = ids.clone();
        r.notes.push(format!(
            "chain window [{w0},{}] from day 0 of {} to {} sessions after day 0 of {}; not part of the across-event tests, which use the single events",
            span + w1,
            ids[0],
            w1,
            ids[ids.len() - 1]
        ));
        let mut windows = vec![(0, span), (0, span + w1), (w0, span + w1)];
        windows.dedup();
        let (res, _) = compute_span(cfg, j, r, d0, (w0, span + w1), &windows, &ids, ctx);
        out.push(res);
    }
    out
}

fn blank_result(e: &Event, ticker: &str, simulated: bool) -> EventResult {
    EventResult {
        id: e.id.clone(),
        ticker: ticker.to_string(),
        event_date: e.date.to_string(),
        event_time: e.when(),
        kind: e.kind.clone(),
        headline: e.headline.clone(),
        source: e.source.clone(),
        url: e.url.clone(),
        day0: None,
        day0_rule: None,
        day0_reason: None,
        benchmark: None,
        status: "ok".into(),
        reason: None,
        notes: vec![],
        model: None,
        contaminated_by: vec![],
        overlapping: vec![],
        ar: vec![],
        car: vec![],
        simulated,
        estimation_points: vec![],
    }
}

fn exclude(r: &mut EventResult, code: &str, why: String) {
    r.status = "excluded".into();
    r.reason = Some(code.into());
    r.notes.push(why);
}

/// A ticker's returns and the regressors of the chosen model, row by row.
pub struct Design {
    pub dates: Vec<NaiveDate>,
    /// Raw return of row i (NaN for row 0).
    pub ret: Vec<f64>,
    /// The benchmark's return over the same two dates, when known.
    pub market: Vec<Option<f64>>,
    /// Dependent variable: the return, the excess return (factor models) or R − R_m.
    pub y: Vec<f64>,
    /// Regressors, k per row, row-major (`x[i*k..(i+1)*k]`).
    pub x: Vec<f64>,
    pub k: usize,
    /// Whether row i has everything the model needs.
    pub avail: Vec<bool>,
    /// Regressor names (for the coefficients in the output).
    pub names: Vec<&'static str>,
}

impl Design {
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.k..(i + 1) * self.k]
    }
}

/// Builds the design of `model` from joined returns and, for factor models, the factors. A
/// factor row is used only when the factor file has both dates of the stock's return and no
/// date between them (so a two-day stock return never meets a one-day factor return).
pub fn build_design(model: ModelKind, j: JoinedReturns, factors: Option<&FactorTable>) -> Design {
    let n = j.dates.len();
    let mut avail = vec![false; n];
    let names = model.regressors().to_vec();
    let k = names.len();
    let (mut y, mut x): (Vec<f64>, Vec<f64>);
    match model {
        ModelKind::Market => {
            y = j.ret.clone();
            x = vec![0.0; n];
            for i in 1..n {
                if let Some(m) = j.market[i] {
                    x[i] = m;
                    avail[i] = true;
                }
            }
        }
        ModelKind::MarketAdjusted => {
            x = vec![];
            y = vec![f64::NAN; n];
            for i in 1..n {
                if let Some(m) = j.market[i] {
                    y[i] = j.ret[i] - m;
                    avail[i] = true;
                }
            }
        }
        ModelKind::ConstantMean => {
            x = vec![];
            y = j.ret.clone();
            avail.iter_mut().skip(1).for_each(|a| *a = true);
        }
        ModelKind::Ff3 | ModelKind::Carhart | ModelKind::Ff5 => {
            let f = factors.expect("factor models have factors");
            let cols: Vec<&[f64]> = names.iter().map(|c| f.get(c).expect("checked")).collect();
            let rf = f.get("rf").expect("checked");
            let pos: HashMap<NaiveDate, usize> = f.dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
            y = vec![f64::NAN; n];
            x = vec![0.0; n * k];
            for i in 1..n {
                if let (Some(&a), Some(&b)) = (pos.get(&j.dates[i - 1]), pos.get(&j.dates[i])) {
                    if b == a + 1 {
                        y[i] = j.ret[i] - rf[b];
                        for (c, col) in cols.iter().enumerate() {
                            x[i * k + c] = col[b];
                        }
                        avail[i] = true;
                    }
                }
            }
        }
    }
    Design { dates: j.dates, ret: j.ret, market: j.market, y, x, k, avail, names }
}

/// The market model with a Scholes–Williams or Dimson beta over the estimation `rows`.
fn nonsync_fit(cfg: &StudyConfig, j: &Design, rows: &[usize], y: &[f64], lags: i64) -> std::result::Result<OlsFit, FitError> {
    let shifted = |l: i64| -> Vec<f64> { rows.iter().map(|&i| j.market[(i as i64 + l) as usize].expect("usable rows have leads and lags")).collect() };
    let m = shifted(0);
    let beta = if cfg.beta == BetaKind::ScholesWilliams {
        nonsync::scholes_williams_beta(y, &shifted(-1), &m, &shifted(1))
    } else {
        let cols: Vec<Vec<f64>> = (-lags..=lags).map(shifted).collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        nonsync::dimson_beta(y, &refs)?
    };
    nonsync::fit_with_beta(y, &m, beta, cfg.s2_denominator)
}

/// What the across-event tests need from one computed event (not serialised).
#[derive(Debug, Clone)]
pub struct EventStats {
    pub id: String,
    pub ticker: String,
    pub kind: String,
    /// Abnormal returns over the event window.
    pub ar: Vec<f64>,
    /// AR standardised by the forecast-error standard deviation.
    pub sar: Vec<f64>,
    /// AR standardised by the plain residual s.
    pub sar_plain: Vec<f64>,
    /// CAR per CAR window, with its exact forecast-error variance and BHAR.
    pub car: Vec<f64>,
    pub car_var: Vec<f64>,
    pub bhar: Vec<f64>,
    pub s: f64,
    pub df: usize,
    pub est_resid: Vec<f64>,
    pub est_dates: Vec<NaiveDate>,
    /// Relative days of the estimation residuals.
    pub est_rel: Vec<i32>,
    /// Standard error of the CAR from the first event-window day to each day.
    pub car_se_path: Vec<f64>,
}

/// The residual variance of market-adjusted returns: nothing is estimated, so AR = R − R_m and
/// s² is the variance of the estimation-window ARs about their mean, Var(CAR) = L·s².
fn market_adjusted_fit(y: &[f64], den: S2Denominator) -> OlsFit {
    let n = y.len();
    let mean = y.iter().sum::<f64>() / n as f64;
    let ssr: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    OlsFit { coef: vec![0.0], xtx_inv: vec![0.0], ssr, s2: ssr / den.value(n, 0), n, k: 0, resid: y.to_vec(), sst: ssr }
}

fn simple(r: f64, kind: ReturnKind) -> f64 {
    match kind {
        ReturnKind::Simple => r,
        ReturnKind::Log => r.exp() - 1.0,
    }
}

/// What [`compute_event`] needs to know about the ticker beside its design.
pub struct EventContext<'a> {
    pub ticker: &'a str,
    /// The ticker's benchmark (reported with market-based models).
    pub benchmark: &'a str,
    /// Whether the inputs are the bundled simulated sample.
    pub simulated: bool,
    /// The day-0 rows of the ticker's events (for overlap and contamination notes).
    pub day0s: &'a [(String, Option<usize>)],
}

/// Computes one (event, ticker) pair on a ticker's design, with day 0 placed by `place`: the
/// serialisable result, and the numbers the across-event tests need when the pair could be
/// computed.
pub fn compute_event(cfg: &StudyConfig, j: &Design, e: &Event, place: &Placement, ctx: &EventContext) -> (EventResult, Option<EventStats>) {
    let mut r = blank_result(e, ctx.ticker, ctx.simulated);
    if cfg.model.uses_market() {
        r.benchmark = Some(ctx.benchmark.to_string());
    }
    r.day0_rule = Some(place.rule.into());
    r.day0_reason = Some(place.reason.clone());
    let Some(d0) = place.index else {
        if place.skipped {
            exclude(&mut r, "non_trading_day", place.reason.clone());
        } else {
            let (first, last) = (j.dates[0], j.dates[j.dates.len() - 1]);
            exclude(&mut r, "day0_outside_data", format!("event {} has no day 0 in {}'s prices ({first} to {last}): {}", e.when(), ctx.ticker, place.reason));
        }
        return (r, None);
    };
    let day0_date = j.dates[d0];
    r.day0 = Some(day0_date.to_string());
    if (day0_date - place.local_date).num_days().abs() > MAX_DAY0_GAP_DAYS {
        exclude(
            &mut r,
            "day0_outside_data",
            format!("no {} price within {MAX_DAY0_GAP_DAYS} days of {} (nearest session {day0_date}): a gap in the file", ctx.ticker, place.local_date),
        );
        return (r, None);
    }
    compute_span(cfg, j, r, d0, cfg.window, &cfg.car_windows, &[e.id.clone()], ctx)
}

/// Computes a result over `window` around row `d0` (an event, or a chain of events whose own
/// ids are `own`): estimation, ARs, CARs over `car_windows`, and notes on other events.
fn compute_span(
    cfg: &StudyConfig,
    j: &Design,
    mut r: EventResult,
    d0: usize,
    window: Window,
    car_windows: &[Window],
    own: &[String],
    ctx: &EventContext,
) -> (EventResult, Option<EventStats>) {
    let ticker = ctx.ticker;
    let n = j.dates.len() as i64;
    let (first, last) = (j.dates[0], j.dates[j.dates.len() - 1]);
    let day0_date = j.dates[d0];
    let (w0, w1) = window;
    let (lo, hi) = (d0 as i64 + w0 as i64, d0 as i64 + w1 as i64);
    if lo < 1 || hi > n - 1 {
        exclude(
            &mut r,
            "event_window_outside_data",
            format!("event window [{w0},{w1}] around day 0 {day0_date} needs {ticker} prices from before {first} or after {last}"),
        );
        return (r, None);
    }
    let missing: Vec<String> = (lo..=hi).filter(|&i| !j.avail[i as usize]).map(|i| j.dates[i as usize].to_string()).collect();
    if !missing.is_empty() {
        let (code, what) = if cfg.model.is_factor_model() {
            ("factors_missing", "the factor file has no return matching".to_string())
        } else {
            ("benchmark_missing", format!("the benchmark {} has no price for", ctx.benchmark))
        };
        exclude(&mut r, code, format!("{what} the return on {} inside the event window", missing.join(", ")));
        return (r, None);
    }

    // Other events of this ticker: inside this event window, or with their event window
    // overlapping the estimation window (contamination).
    let (e0, e1) = cfg.estimation;
    let est_lo = (d0 as i64 + e0 as i64).max(1);
    let est_hi = d0 as i64 + e1 as i64;
    let mut blocked: Vec<(i64, i64)> = Vec::new();
    for (id, other) in ctx.day0s {
        if own.contains(id) {
            continue;
        }
        let Some(o) = *other else { continue };
        let o = o as i64;
        if o == d0 as i64 {
            r.overlapping.push(id.clone());
            r.notes.push(format!("event {id} has the same day 0"));
        } else if (lo..=hi).contains(&o) {
            r.overlapping.push(id.clone());
            r.notes.push(format!("event {id} (day 0 {}) lies inside this event window, at day {:+}", j.dates[o as usize], o - d0 as i64));
        }
        let (olo, ohi) = (o + cfg.window.0 as i64, o + cfg.window.1 as i64);
        if olo <= est_hi && ohi >= est_lo && o != d0 as i64 {
            r.contaminated_by.push(id.clone());
            blocked.push((olo, ohi));
            r.notes.push(format!(
                "the estimation window contains the event window of {id} (day 0 {}){}",
                j.dates[o as usize],
                if cfg.clean_estimation { "; those days are dropped (--clean-estimation)" } else { "" }
            ));
        }
    }

    let wanted = (e1 - e0 + 1) as usize;
    let lags = match (cfg.model, cfg.beta) {
        (ModelKind::Market, BetaKind::ScholesWilliams) => 1,
        (ModelKind::Market, BetaKind::Dimson) => cfg.dimson_lags as i64,
        _ => 0,
    };
    // Scholes–Williams and Dimson also need the market return on the days around each row.
    let usable = |i: i64| {
        j.avail[i as usize] && (1..=lags).all(|l| i - l >= 1 && i + l < n && j.market[(i - l) as usize].is_some() && j.market[(i + l) as usize].is_some())
    };
    let (mut rows, mut no_data, mut cleaned) = (Vec::with_capacity(wanted), 0usize, 0usize);
    if est_hi >= est_lo {
        for i in est_lo..=est_hi {
            if cfg.clean_estimation && blocked.iter().any(|(a, b)| (*a..=*b).contains(&i)) {
                cleaned += 1;
            } else if usable(i) {
                rows.push(i as usize);
            } else {
                no_data += 1;
            }
        }
    }
    if rows.len() < cfg.min_estimation {
        exclude(
            &mut r,
            "too_few_estimation_days",
            format!(
                "{} usable estimation days, fewer than --min-estimation={} (window [{e0},{e1}] wants {wanted})",
                rows.len(),
                cfg.min_estimation
            ),
        );
        return (r, None);
    }
    if rows.len() < wanted {
        let before = wanted - rows.len() - no_data - cleaned;
        r.notes.push(format!(
            "estimation uses {} of the {wanted} days of [{e0},{e1}] ({before} before the first price, {no_data} without {}, {cleaned} dropped by --clean-estimation)",
            rows.len(),
            if cfg.model.is_factor_model() {
                "factor data"
            } else if lags > 0 {
                "benchmark returns on the day and its leads and lags"
            } else {
                "a benchmark price"
            }
        ));
    }
    let y: Vec<f64> = rows.iter().map(|&i| j.y[i]).collect();
    let fitted = if cfg.model == ModelKind::MarketAdjusted {
        Ok(market_adjusted_fit(&y, cfg.s2_denominator))
    } else if lags > 0 {
        nonsync_fit(cfg, j, &rows, &y, lags)
    } else {
        let cols: Vec<Vec<f64>> = (0..j.k).map(|c| rows.iter().map(|&i| j.x[i * j.k + c]).collect()).collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        ols::fit(&y, &refs, cfg.s2_denominator)
    };
    let mut fit = match fitted {
        Ok(f) => f,
        Err(FitError::Singular) => {
            exclude(&mut r, "degenerate_estimation", "a regressor is constant or the regressors are collinear over the estimation window".into());
            return (r, None);
        }
        Err(FitError::TooFewObservations) => {
            let k = if lags > 0 && cfg.beta == BetaKind::Dimson { 2 * lags as usize + 1 } else { j.k };
            exclude(&mut r, "too_few_estimation_days", format!("{} estimation days are too few for {k} regressors", rows.len()));
            return (r, None);
        }
    };
    let df = fit.df();
    let s = fit.sigma();

    let l = (hi - lo + 1) as usize;
    let mut st = EventStats {
        id: r.id.clone(),
        ticker: ticker.to_string(),
        kind: r.kind.clone(),
        ar: Vec::with_capacity(l),
        sar: Vec::with_capacity(l),
        sar_plain: Vec::with_capacity(l),
        car: vec![],
        car_var: vec![],
        bhar: vec![],
        s,
        df,
        est_resid: std::mem::take(&mut fit.resid),
        est_dates: rows.iter().map(|&i| j.dates[i]).collect(),
        est_rel: rows.iter().map(|&i| (i as i64 - d0 as i64) as i32).collect(),
        car_se_path: Vec::with_capacity(l),
    };
    if cfg.charts {
        r.estimation_points = rows.iter().filter_map(|&i| j.market[i].map(|m| (m, j.ret[i]))).collect();
    }
    let mut cum = 0.0;
    let window_rows: Vec<&[f64]> = (lo..=hi).map(|i| j.row(i as usize)).collect();
    for (t, i) in (lo..=hi).enumerate() {
        let i = i as usize;
        let ar = j.y[i] - fit.predict(j.row(i));
        cum += ar;
        let se_day = car_variance(&fit, &window_rows[t..=t]).sqrt();
        st.ar.push(ar);
        st.sar.push(ar / se_day);
        st.sar_plain.push(ar / s);
        let car_se = car_variance(&fit, &window_rows[..=t]).sqrt();
        st.car_se_path.push(car_se);
        r.ar.push(ArRow {
            day: (i as i64 - d0 as i64) as i32,
            date: j.dates[i].to_string(),
            ret: j.ret[i],
            market_ret: j.market[i].unwrap_or(f64::NAN),
            expected: j.ret[i] - ar,
            ar,
            car: cum,
            t: ar / se_day,
            car_se,
        });
    }
    for &(a, b) in car_windows {
        let (from, to) = ((a - w0) as usize, (b - w0) as usize);
        let car: f64 = st.ar[from..=to].iter().sum();
        let var = car_variance(&fit, &window_rows[from..=to]);
        let se = var.sqrt();
        let t = car / se;
        let (mut held, mut normal) = (1.0, 1.0);
        for row in &r.ar[from..=to] {
            held *= 1.0 + simple(row.ret, cfg.returns);
            normal *= 1.0 + simple(row.expected, cfg.returns);
        }
        let bhar = held - normal;
        st.car.push(car);
        st.car_var.push(var);
        st.bhar.push(bhar);
        r.car.push(CarRow { window: (a, b), car, se, t, p: t_p(t, df as f64, cfg.alternative), bhar });
    }
    let mut coefficients = BTreeMap::new();
    coefficients.insert("alpha".to_string(), fit.coef[0]);
    for (c, name) in j.names.iter().enumerate() {
        coefficients.insert(name.to_string(), fit.coef[c + 1]);
    }
    r.model = Some(ModelOut {
        name: cfg.model.name().into(),
        alpha: fit.coef[0],
        beta: match cfg.model {
            ModelKind::ConstantMean => None,
            ModelKind::MarketAdjusted => Some(1.0),
            _ => Some(fit.coef[1]),
        },
        beta_method: (cfg.model == ModelKind::Market).then_some(cfg.beta),
        coefficients,
        sigma: s,
        n_obs: fit.n,
        df,
        estimation_start: st.est_dates[0].to_string(),
        estimation_end: st.est_dates[st.est_dates.len() - 1].to_string(),
        r_squared: fit.r_squared(),
    });
    (r, Some(st))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn series(t: &str, rows: &[(&str, f64)]) -> PriceSeries {
        PriceSeries {
            ticker: t.into(),
            path: format!("{t}.csv").into(),
            sha256: String::new(),
            dates: rows.iter().map(|r| d(r.0)).collect(),
            prices: rows.iter().map(|r| r.1).collect(),
            price_column: "Close".into(),
            warnings: vec![],
        }
    }

    /// Regression guard: a day missing from the benchmark must not pair a one-day stock return
    /// with a two-day market return; those rows get no market return at all.
    #[test]
    fn a_day_missing_from_the_benchmark_never_pairs_mismatched_returns() {
        let stock = series("S", &[("2025-01-02", 100.0), ("2025-01-03", 110.0), ("2025-01-06", 99.0), ("2025-01-07", 99.0)]);
        let market = series("M", &[("2025-01-02", 50.0), ("2025-01-06", 55.0), ("2025-01-07", 44.0)]);
        let j = join_returns(&stock, Some(&market), ReturnKind::Simple);
        assert!(j.ret[0].is_nan());
        assert!((j.ret[1] - 0.10).abs() < 1e-15);
        assert!((j.ret[2] - (-0.1)).abs() < 1e-15);
        assert_eq!(j.market[1], None, "01-03 is missing from the market");
        assert_eq!(j.market[2], None, "the 01-03 → 01-06 market return does not exist");
        assert!((j.market[3].unwrap() - (-0.2)).abs() < 1e-15);
    }

    #[test]
    fn log_returns_are_log_price_ratios() {
        let s = series("S", &[("2025-01-02", 100.0), ("2025-01-03", 120.0)]);
        let j = join_returns(&s, Some(&s), ReturnKind::Log);
        assert!((j.ret[1] - 1.2f64.ln()).abs() < 1e-15);
    }
}

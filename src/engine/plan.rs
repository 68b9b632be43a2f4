//! The plan of a study, before any event is computed: the events, which tickers, where their
//! prices come from, each ticker's benchmark (loaded once) and trading session, the factor
//! files, and the record of every input read.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Engine;
use crate::codes::InputRole;
use crate::config::{validate_ticker, MeasureKind, StudyConfig};
use crate::error::{Error, Result};
use crate::load::{
    default_factor_files, load_claims, load_events_with, load_factors, load_tickers, Claim, Event, FactorTable,
    PriceOptions, PriceSeries, PriceSource, TickerTable,
};
use crate::session::{session_for, Session};
use crate::simulate::SimManifest;
use crate::summary::{InputFile, TickerOut};

/// A benchmark's prices, loaded once, and whether they are the simulated sample.
pub type Benchmark = Option<(PriceSeries, bool)>;

/// Everything the per-ticker work reads.
pub struct Plan {
    pub events: Vec<Event>,
    pub manifest: Option<SimManifest>,
    pub tickers: Vec<String>,
    pub prices: PriceSource,
    pub factors: Option<FactorTable>,
    pub benchmarks: BTreeMap<String, Benchmark>,
    /// Per ticker, aligned with `tickers`: its benchmark and its trading session.
    pub resolved: Vec<(String, Session)>,
    pub ticker_info: BTreeMap<String, TickerOut>,
    pub inputs: Vec<InputFile>,
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
    /// The claims about tickers of the study.
    pub claims: Vec<Claim>,
    /// The kinds `--kind` studies (lower case); `None` studies every event. The other events
    /// still count as neighbours (overlap and contamination notes, --clean-estimation).
    kinds: Option<Vec<String>>,
    /// Events of each ticker (upper case), and events without tickers (they concern all).
    by_ticker: HashMap<String, Vec<usize>>,
    for_all: Vec<usize>,
}

impl Plan {
    pub fn build(engine: &Engine) -> Result<Plan> {
        let cfg = engine.cfg;
        if !cfg.data_dir().is_dir() {
            return Err(Error::Usage(format!("--data {}: no such directory", cfg.data_dir().display())));
        }
        let events_file = cfg.events_file();
        let t = crate::timing::phase("events file");
        let (events, events_sha, events_order) = load_events_with(&events_file, cfg.input.date_order)?;
        drop(t);
        let (kinds, kind_note) = filter_kinds(cfg, &events)?;
        let opts = PriceOptions {
            crsp_negative: cfg.input.crsp_negative,
            drop_last_row: cfg.input.drop_last_row,
            date_order: cfg.input.date_order,
        };
        let prices = PriceSource::new(cfg.data_dir(), cfg.input.panel.as_deref(), opts)?;
        // An explicitly requested ticker without prices is a usage error.
        if let Some(missing) = cfg.tickers().into_iter().flatten().find(|t| !prices.has(t)) {
            return Err(prices.missing(missing));
        }
        // Each ticker is named as its prices name it (`baba` reads BABA.csv and is BABA), once.
        // (A set of the names seen: comparing each with every one before took 25 ms, alone on
        // one core, for 3,000 tickers.)
        let mut tickers: Vec<String> = Vec::new();
        let mut named = HashSet::new();
        for t in study_tickers(cfg, &events)? {
            let name = prices.name(&t);
            if named.insert(name.to_ascii_lowercase()) {
                tickers.push(name);
            }
        }
        let mut events_input =
            file_input(InputRole::Events, events_file.display().to_string(), events_sha, events.len());
        events_input.date_order = events_order;
        let mut inputs = vec![events_input];
        let tickers_file = cfg.tickers_file();
        let table = if tickers_file.is_file() { Some(load_tickers(&tickers_file)?) } else { None };
        if let Some(t) = &table {
            inputs.push(file_input(InputRole::Tickers, t.path.display().to_string(), t.sha256.clone(), t.rows.len()));
        }
        let factors =
            if engine.model.factors().is_empty() { None } else { Some(load_model_factors(engine, &mut inputs)?) };
        let (claims, claim_notes) = load_study_claims(cfg, &events, &tickers, &mut inputs)?;
        let (by_ticker, for_all) = index_events(&events);
        let mut plan = Plan {
            manifest: SimManifest::read(cfg.data_dir()),
            events,
            tickers,
            prices,
            factors,
            benchmarks: BTreeMap::new(),
            resolved: vec![],
            ticker_info: BTreeMap::new(),
            inputs,
            warnings: vec![],
            notes: cfg.all_notes().into_iter().chain(kind_note).chain(claim_notes).collect(),
            claims,
            kinds,
            by_ticker,
            for_all,
        };
        plan.resolve_benchmarks(engine, table.as_ref())?;
        if let Some(e) = plan.prices.unused_panel(plan.tickers.iter().chain(plan.benchmarks.keys())) {
            return Err(e);
        }
        for (t, b) in cfg.market_for() {
            if !plan.tickers.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                plan.notes.push(format!("--market {t}={b} names a ticker that is not in this study; it is not used"));
            }
        }
        Ok(plan)
    }

    /// Each ticker's benchmark (each loaded once) and session. The market-based models need
    /// the benchmark; the others read it when present, for the market_ret column.
    fn resolve_benchmarks(&mut self, engine: &Engine, table: Option<&TickerTable>) -> Result<()> {
        let cfg = engine.cfg;
        let uses_market = engine.model.uses_market();
        let tickers_file = cfg.tickers_file();
        for ticker in &self.tickers {
            let (bench, from) = benchmark_for(cfg, ticker, table);
            let bench = self.prices.name(&bench);
            if !self.benchmarks.contains_key(&bench) {
                let loaded = match self.prices.load(&bench) {
                    Ok(Some(m)) => {
                        self.warnings.extend(m.warnings.iter().cloned());
                        let sim = self.manifest.as_ref().is_some_and(|x| x.covers(&m.path, &m.sha256));
                        self.inputs.push(price_input(InputRole::Market, &m, sim));
                        Some((m, sim))
                    }
                    Ok(None) if !uses_market => None,
                    Err(e) if !uses_market => {
                        self.warnings.push(format!("the benchmark {bench} was not read ({e}); the model does not use it, and market_ret is left empty"));
                        None
                    }
                    Err(e) => return Err(e),
                    Ok(None) => return Err(self.no_benchmark(cfg, &bench, ticker, &from)),
                };
                self.benchmarks.insert(bench.clone(), loaded);
            }
            let info = table.and_then(|t| t.get(ticker));
            let session = session_for(ticker, info, &tickers_file.display().to_string());
            let out = TickerOut {
                benchmark: uses_market.then(|| bench.clone()),
                benchmark_from: uses_market.then(|| from.describe(&tickers_file)),
                session: session.describe(),
                exchange: info.and_then(|i| i.exchange.clone()),
                currency: info.and_then(|i| i.currency.clone()),
            };
            self.ticker_info.insert(ticker.clone(), out);
            self.resolved.push((bench, session));
        }
        Ok(())
    }

    /// The error for a benchmark the model needs and that has no prices.
    fn no_benchmark(&self, cfg: &StudyConfig, bench: &str, ticker: &str, from: &BenchmarkFrom) -> Error {
        match from {
            BenchmarkFrom::TickersFile(line) => Error::at(
                &cfg.tickers_file(),
                Some(*line),
                Some("benchmark"),
                format!(
                    "benchmark '{bench}' of {ticker} has no price file; expected {}/{bench}.csv",
                    cfg.data_dir().display()
                ),
            ),
            BenchmarkFrom::Default => {
                let (file, listed) = self.prices.expected_with_listing(bench);
                Error::Data(format!(
                    "no prices for the benchmark {bench}, the default benchmark of the market model: {file}; put {bench}.csv there, or choose another benchmark with --market TICKER (tickers with prices: {listed})"
                ))
            }
            BenchmarkFrom::Option => self.prices.missing(bench),
        }
    }

    /// Whether `e` is studied (`--kind`), rather than only a neighbour of the studied events.
    pub fn studies(&self, e: &Event) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&e.kind.to_lowercase()))
    }

    /// The number of (event, ticker) pairs: each ticker's events, those without a ticker
    /// counted once per ticker.
    pub fn pairs(&self) -> usize {
        let named: usize =
            self.tickers.iter().map(|t| self.by_ticker.get(&t.to_ascii_uppercase()).map_or(0, Vec::len)).sum();
        named.saturating_add(self.for_all.len().saturating_mul(self.tickers.len()))
    }

    /// The events of `ticker`, in file order (events without tickers concern every ticker).
    pub fn events_of(&self, ticker: &str) -> Vec<&Event> {
        let mut idx: Vec<usize> = self.by_ticker.get(&ticker.to_ascii_uppercase()).cloned().unwrap_or_default();
        idx.extend(&self.for_all);
        idx.sort_unstable();
        idx.dedup();
        idx.iter().map(|&i| &self.events[i]).collect()
    }

    /// The distinct benchmarks in use, in first-seen order (for the study name).
    pub fn used_benchmarks(&self, cfg: &StudyConfig) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for t in cfg.tickers().map(|_| &self.tickers).into_iter().flatten() {
            if let Some(b) = self.ticker_info.get(t).and_then(|i| i.benchmark.clone()) {
                if !v.contains(&b) {
                    v.push(b);
                }
            }
        }
        if v.is_empty() {
            v = self
                .ticker_info
                .values()
                .filter_map(|i| i.benchmark.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
        }
        v
    }
}

/// The kinds `--kind` asks for (`None` without it), and a note of how many events they
/// select; a kind no event has is a usage error listing the kinds there are.
fn filter_kinds(cfg: &StudyConfig, events: &[Event]) -> Result<(Option<Vec<String>>, Option<String>)> {
    let wanted: Vec<String> =
        cfg.input.kind.iter().map(|k| k.trim().to_lowercase()).filter(|k| !k.is_empty()).collect();
    if wanted.is_empty() {
        if !cfg.input.kind.is_empty() {
            return Err(Error::Usage("--kind was given without a kind".into()));
        }
        return Ok((None, None));
    }
    let mut kinds: Vec<String> = events.iter().map(|e| e.kind.to_lowercase()).filter(|k| !k.is_empty()).collect();
    kinds.sort();
    kinds.dedup();
    if let Some(bad) = wanted.iter().find(|k| !kinds.contains(k)) {
        return Err(Error::Usage(format!(
            "--kind {bad}: no event in {} has that kind; kinds there: {}",
            cfg.events_file().display(),
            if kinds.is_empty() {
                "none (the file has no kind column or it is empty)".to_string()
            } else {
                kinds.join(", ")
            }
        )));
    }
    let kept = events.iter().filter(|e| wanted.contains(&e.kind.to_lowercase())).count();
    let note = format!(
        "--kind {}: {kept} of the {} events studied (the others still count as neighbours for overlap and contamination)",
        wanted.join(","),
        events.len()
    );
    Ok((Some(wanted), Some(note)))
}

/// The tickers asked for, or every ticker named in the events file (first-seen order).
fn study_tickers(cfg: &StudyConfig, events: &[Event]) -> Result<Vec<String>> {
    if let Some(t) = cfg.tickers() {
        return Ok(t.to_vec());
    }
    let mut seen: Vec<String> = Vec::new();
    let mut known = HashSet::new();
    for t in events.iter().flat_map(|e| e.tickers.iter()) {
        if known.insert(t.to_ascii_uppercase()) {
            seen.push(t.clone());
        }
    }
    let file = cfg.events_file();
    if seen.is_empty() {
        return Err(Error::Usage(format!(
            "no tickers to study: name them with --ticker, or in the 'ticker' column of {}",
            file.display()
        )));
    }
    for t in &seen {
        validate_ticker(t).map_err(|_| {
            Error::Data(format!("{}: '{t}' in the ticker column is not a valid ticker name", file.display()))
        })?;
    }
    Ok(seen)
}

/// The claims file's claims about tickers of the study (checked against the events and the
/// event window), with a note for each claim about another ticker.
fn load_study_claims(
    cfg: &StudyConfig,
    events: &[Event],
    tickers: &[String],
    inputs: &mut Vec<InputFile>,
) -> Result<(Vec<Claim>, Vec<String>)> {
    let Some(path) = cfg.claims_file() else { return Ok((vec![], vec![])) };
    let (all, sha) = load_claims(&path)?;
    inputs.push(file_input(InputRole::Claims, path.display().to_string(), sha, all.len()));
    let mut notes = Vec::new();
    if cfg.method.measure == MeasureKind::Volume {
        // Claims bound price moves and return volatility: a volume study cannot judge them.
        notes.push(format!("the claims of {} are about returns; a volume study does not test them", path.display()));
        return Ok((vec![], notes));
    }
    let (w0, w1) = cfg.method.window;
    let mut kept = Vec::new();
    for c in all {
        let Some(t) = tickers.iter().find(|t| t.eq_ignore_ascii_case(&c.ticker)) else {
            notes.push(format!("claim {} concerns {}, which is not in this study; it is not tested", c.id, c.ticker));
            continue;
        };
        // The default claims file goes with the default events and windows: claims about events
        // that are not there, or windows outside the event window, are left out with a note.
        // A file given with --claims is checked strictly.
        if cfg.input.claims.is_none() {
            if let Some(id) = super::claims::unknown_event(&c, events) {
                notes.push(format!(
                    "claim {} is about event {id}, which is not in the events file; it is not tested",
                    c.id
                ));
                continue;
            }
            if super::claims::outside(&c, cfg.method.window) {
                notes.push(format!(
                    "claim {} is about days [{},{}], outside the event window [{w0},{w1}]; it is not tested",
                    c.id, c.window.0, c.window.1
                ));
                continue;
            }
        }
        kept.push(Claim { ticker: t.clone(), ..c });
    }
    super::claims::check(&path, &kept, events, cfg.method.window)?;
    Ok((kept, notes))
}

/// Events by ticker (upper case), and the events without tickers.
fn index_events(events: &[Event]) -> (HashMap<String, Vec<usize>>, Vec<usize>) {
    let mut by_ticker: HashMap<String, Vec<usize>> = HashMap::new();
    let mut for_all = Vec::new();
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
    (by_ticker, for_all)
}

/// Loads the factor files of a factor model and records them as inputs.
fn load_model_factors(engine: &Engine, inputs: &mut Vec<InputFile>) -> Result<FactorTable> {
    let cfg = engine.cfg;
    let name = crate::config::option_name(engine.model.kind());
    let files =
        if cfg.input.factors.is_empty() { default_factor_files(cfg.data_dir()) } else { cfg.input.factors.clone() };
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "--model {name} needs factor files: give them with --factors FILE (repeatable) or put them in {}",
            cfg.data_dir().join("factors").display()
        )));
    }
    let f = load_factors(&files)?;
    for need in engine.model.factors().iter().chain(["rf"].iter()) {
        if f.get(need).is_none() {
            let names: Vec<&String> = f.columns.keys().collect();
            return Err(Error::Data(format!(
                "--model {name} needs the factor '{need}', which none of the factor files has (they have: {names:?})"
            )));
        }
    }
    for (path, sha, percent) in &f.files {
        inputs.push(InputFile {
            role: InputRole::Factors,
            ticker: None,
            path: path.display().to_string(),
            sha256: sha.clone(),
            price_column: Some(if *percent {
                "percent (Ken French file), divided by 100".into()
            } else {
                "decimal".into()
            }),
            rows: Some(f.dates.len()),
            first_date: f.dates.first().map(|&d| crate::summary::iso_string(d)),
            last_date: f.dates.last().map(|&d| crate::summary::iso_string(d)),
            date_order: None,
            simulated: false,
        });
    }
    Ok(f)
}

/// The record of a file that is not a price file.
fn file_input(role: InputRole, path: String, sha256: String, rows: usize) -> InputFile {
    InputFile {
        role,
        ticker: None,
        path,
        sha256,
        price_column: None,
        rows: Some(rows),
        first_date: None,
        last_date: None,
        date_order: None,
        simulated: false,
    }
}

/// The record of a price file.
pub fn price_input(role: InputRole, s: &PriceSeries, simulated: bool) -> InputFile {
    InputFile {
        role,
        ticker: Some(s.ticker.clone()),
        path: s.path.display().to_string(),
        sha256: s.sha256.clone(),
        price_column: Some(s.price_column.clone()),
        rows: Some(s.dates.len()),
        first_date: s.dates.first().map(|&d| crate::summary::iso_string(d)),
        last_date: s.dates.last().map(|&d| crate::summary::iso_string(d)),
        date_order: s.date_order,
        simulated,
    }
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
    if let Some((_, b)) = cfg.market_for().iter().find(|(t, _)| t.eq_ignore_ascii_case(ticker)) {
        return (b.clone(), BenchmarkFrom::Option);
    }
    if cfg.market_explicit() {
        return (cfg.market().to_string(), BenchmarkFrom::Option);
    }
    if let Some(i) = table.and_then(|t| t.get(ticker)) {
        if let Some(b) = &i.benchmark {
            return (b.clone(), BenchmarkFrom::TickersFile(i.line));
        }
    }
    (cfg.market().to_string(), BenchmarkFrom::Default)
}

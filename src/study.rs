//! The event-study engine: for every requested (event, ticker) pair, place day 0 on the
//! ticker's own trading calendar, fit the market model over the estimation window, and compute
//! abnormal returns and CARs with their exact forecast-error variance. It works on plain
//! vectors that the loading layer produced and returns a [`Summary`]; it prints nothing.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::config::{ModelKind, ReturnKind, S2Denominator, StudyConfig};
use crate::error::{Error, Result};
use crate::load::{default_factor_files, find_price_file, load_events, load_factors, load_prices, Event, FactorTable, PriceSeries};
use crate::simulate::SimManifest;
use crate::stats::car::car_variance;
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
        let mpos: HashMap<NaiveDate, usize> = m.dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        for i in 1..n {
            if let (Some(&j0), Some(&j1)) = (mpos.get(&stock.dates[i - 1]), mpos.get(&stock.dates[i])) {
                mret[i] = Some(f(m.prices[j0], m.prices[j1]));
            }
        }
    }
    JoinedReturns { dates: stock.dates.clone(), ret, market: mret }
}

/// Index of day 0: the first trading day on or after the event date.
pub fn day0_index(dates: &[NaiveDate], event: NaiveDate) -> Option<usize> {
    let i = dates.partition_point(|d| *d < event);
    (i < dates.len()).then_some(i)
}

/// Runs the whole study described by `cfg`.
pub fn run_study(cfg: &StudyConfig) -> Result<Summary> {
    if !cfg.data_dir.is_dir() {
        return Err(Error::Usage(format!("--data {}: no such directory", cfg.data_dir.display())));
    }
    let (events, events_sha) = load_events(&cfg.events_file)?;
    let manifest = SimManifest::read(&cfg.data_dir);
    let mut warnings = Vec::new();
    for e in events.iter().filter(|e| e.had_time) {
        warnings.push(format!(
            "{}, line {}: the time of day in the date is not used yet; day 0 is placed by the calendar date",
            cfg.events_file.display(),
            e.line
        ));
    }

    // Which tickers: those asked for, or every ticker named in the events file.
    let tickers: Vec<String> = match &cfg.tickers {
        Some(t) => t.clone(),
        None => {
            let mut seen: Vec<String> = Vec::new();
            for t in events.iter().flat_map(|e| e.tickers.iter()) {
                if !seen.iter().any(|s| s.eq_ignore_ascii_case(t)) {
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

    // An explicitly requested ticker or benchmark without a file is a usage error.
    let available = list_tickers(&cfg.data_dir);
    let missing = |t: &str| {
        Error::Usage(format!(
            "no price file for '{t}' in {}: expected {}/{t}.csv; tickers with price files there: {}",
            cfg.data_dir.display(),
            cfg.data_dir.display(),
            if available.is_empty() { "none".to_string() } else { available.join(", ") }
        ))
    };
    if let Some(req) = &cfg.tickers {
        for t in req {
            if find_price_file(&cfg.data_dir, t).is_none() {
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
    // The benchmark: required by the market-based models; otherwise read when present, for
    // the market_ret column.
    let market = match find_price_file(&cfg.data_dir, &cfg.market) {
        Some(p) => Some(load_prices(&p, &cfg.market)?),
        None if cfg.model.uses_market() => return Err(missing(&cfg.market)),
        None => None,
    };
    let mut market_sim = false;
    if let Some(m) = &market {
        warnings.extend(m.warnings.iter().cloned());
        market_sim = manifest.as_ref().is_some_and(|x| x.covers(&m.path, &m.sha256));
        inputs.push(price_input("market", m, market_sim));
    }
    let market_sim = market_sim && cfg.model.uses_market();
    let factors = if cfg.model.is_factor_model() { Some(load_model_factors(cfg, &mut inputs)?) } else { None };

    let mut results = Vec::new();
    let mut stats = Vec::new();
    let mut notes = cfg.notes.clone();
    for ticker in &tickers {
        let evs: Vec<&Event> = events.iter().filter(|e| e.concerns(ticker)).collect();
        if evs.is_empty() {
            notes.push(format!(
                "no event in {} concerns {ticker}: name it in the ticker column, or leave that column empty for events that concern every ticker",
                cfg.events_file.display()
            ));
        }
        let Some(path) = find_price_file(&cfg.data_dir, ticker) else {
            for e in evs {
                let mut r = blank_result(e, ticker, false);
                exclude(&mut r, "no_price_file", format!("no price file {}/{ticker}.csv", cfg.data_dir.display()));
                results.push(r);
            }
            continue;
        };
        let stock = load_prices(&path, ticker)?;
        warnings.extend(stock.warnings.iter().cloned());
        let sim = market_sim || manifest.as_ref().is_some_and(|m| m.covers(&stock.path, &stock.sha256));
        inputs.push(price_input("stock", &stock, sim));
        let design = build_design(cfg.model, join_returns(&stock, market.as_ref(), cfg.returns), factors.as_ref());
        let day0s: Vec<(String, Option<usize>)> = evs.iter().map(|e| (e.id.clone(), day0_index(&design.dates, e.date))).collect();
        for e in &evs {
            let (r, st) = compute_event(cfg, &design, e, ticker, sim, &day0s);
            results.push(r);
            stats.extend(st);
        }
    }

    let mut exclusions = BTreeMap::new();
    for r in &results {
        if let Some(reason) = &r.reason {
            *exclusions.entry(reason.clone()).or_insert(0) += 1;
        }
    }
    let aggregate = crate::aggregate::aggregate(cfg, &stats, &tickers);
    let any_sim = inputs.iter().any(|i| i.simulated);
    let data_notice = any_sim.then(|| crate::simulate::notice(manifest.as_ref()));
    Ok(Summary {
        tool: Tool { name: "eventstudy".into(), version: env!("CARGO_PKG_VERSION").into() },
        study: cfg.study_name(&tickers),
        config: ConfigOut {
            tickers: tickers.clone(),
            market: cfg.market.clone(),
            model: cfg.model.name().into(),
            returns: cfg.returns,
            estimation: cfg.estimation,
            window: cfg.window,
            car_windows: cfg.car_windows.clone(),
            min_estimation: cfg.min_estimation,
            non_trading: "next".into(),
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
    })
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
        day0: "first trading day of the ticker on or after the event date".into(),
        returns: match cfg.returns {
            ReturnKind::Simple => "simple, P_t/P_{t-1} - 1, trade-to-trade on the stock's own rows; benchmark joined on date".into(),
            ReturnKind::Log => "log, ln(P_t/P_{t-1}), trade-to-trade on the stock's own rows; benchmark joined on date".into(),
        },
        significance_marks: "* p<0.10, ** p<0.05, *** p<0.01".into(),
        confidence_band: "95%: CAR +/- t(0.975, M-k-1) * se".into(),
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

fn blank_result(e: &Event, ticker: &str, simulated: bool) -> EventResult {
    EventResult {
        id: e.id.clone(),
        ticker: ticker.to_string(),
        event_date: e.date.to_string(),
        kind: e.kind.clone(),
        headline: e.headline.clone(),
        source: e.source.clone(),
        url: e.url.clone(),
        day0: None,
        day0_rule: None,
        status: "ok".into(),
        reason: None,
        notes: vec![],
        model: None,
        contaminated_by: vec![],
        overlapping: vec![],
        ar: vec![],
        car: vec![],
        simulated,
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

/// Computes one (event, ticker) pair on a ticker's design: the serialisable result, and the
/// numbers the across-event tests need when the pair could be computed. `day0s` lists the
/// day-0 rows of the ticker's events (for overlap and contamination notes).
pub fn compute_event(
    cfg: &StudyConfig,
    j: &Design,
    e: &Event,
    ticker: &str,
    simulated: bool,
    day0s: &[(String, Option<usize>)],
) -> (EventResult, Option<EventStats>) {
    let mut r = blank_result(e, ticker, simulated);
    let n = j.dates.len() as i64;
    let (first, last) = (j.dates[0], j.dates[j.dates.len() - 1]);
    if e.date < first || e.date > last {
        exclude(&mut r, "day0_outside_data", format!("event date {} is outside {ticker}'s prices ({first} to {last})", e.date));
        return (r, None);
    }
    let d0 = day0_index(&j.dates, e.date).expect("inside data");
    let day0_date = j.dates[d0];
    r.day0 = Some(day0_date.to_string());
    let gap = (day0_date - e.date).num_days();
    r.day0_rule = Some(if gap == 0 { "same-day".into() } else { "next-trading-day".into() });
    if gap > MAX_DAY0_GAP_DAYS {
        exclude(&mut r, "day0_outside_data", format!("no {ticker} price within {MAX_DAY0_GAP_DAYS} days after {} (next is {day0_date})", e.date));
        return (r, None);
    }
    let (w0, w1) = cfg.window;
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
            ("benchmark_missing", format!("the benchmark {} has no price for", cfg.market))
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
    for (id, other) in day0s {
        if *id == e.id {
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
        let (olo, ohi) = (o + w0 as i64, o + w1 as i64);
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
    let (mut rows, mut no_data, mut cleaned) = (Vec::with_capacity(wanted), 0usize, 0usize);
    if est_hi >= est_lo {
        for i in est_lo..=est_hi {
            if cfg.clean_estimation && blocked.iter().any(|(a, b)| (*a..=*b).contains(&i)) {
                cleaned += 1;
            } else if j.avail[i as usize] {
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
            if cfg.model.is_factor_model() { "factor data" } else { "a benchmark price" }
        ));
    }
    let y: Vec<f64> = rows.iter().map(|&i| j.y[i]).collect();
    let mut fit = if cfg.model == ModelKind::MarketAdjusted {
        market_adjusted_fit(&y, cfg.s2_denominator)
    } else {
        let cols: Vec<Vec<f64>> = (0..j.k).map(|c| rows.iter().map(|&i| j.x[i * j.k + c]).collect()).collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        match ols::fit(&y, &refs, cfg.s2_denominator) {
            Ok(f) => f,
            Err(FitError::Singular) => {
                exclude(&mut r, "degenerate_estimation", "a regressor is constant or the regressors are collinear over the estimation window".into());
                return (r, None);
            }
            Err(FitError::TooFewObservations) => {
                exclude(&mut r, "too_few_estimation_days", format!("{} estimation days are too few for {} regressors", rows.len(), j.k));
                return (r, None);
            }
        }
    };
    let df = fit.df();
    let s = fit.sigma();

    let l = (hi - lo + 1) as usize;
    let mut st = EventStats {
        id: e.id.clone(),
        ticker: ticker.to_string(),
        kind: e.kind.clone(),
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
    };
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
        r.ar.push(ArRow {
            day: (i as i64 - d0 as i64) as i32,
            date: j.dates[i].to_string(),
            ret: j.ret[i],
            market_ret: j.market[i].unwrap_or(f64::NAN),
            expected: j.ret[i] - ar,
            ar,
            car: cum,
            t: ar / se_day,
            car_se: car_variance(&fit, &window_rows[..=t]).sqrt(),
        });
    }
    for &(a, b) in &cfg.car_windows {
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

    #[test]
    fn day0_is_the_first_trading_day_on_or_after_the_event() {
        let dates = [d("2025-05-15"), d("2025-05-16"), d("2025-05-19")];
        assert_eq!(day0_index(&dates, d("2025-05-16")), Some(1));
        assert_eq!(day0_index(&dates, d("2025-05-17")), Some(2), "Saturday moves to Monday");
        assert_eq!(day0_index(&dates, d("2025-05-20")), None);
    }
}

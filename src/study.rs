//! The event-study engine: for every requested (event, ticker) pair, place day 0 on the
//! ticker's own trading calendar, fit the market model over the estimation window, and compute
//! abnormal returns and CARs with their exact forecast-error variance. It works on plain
//! vectors that the loading layer produced and returns a [`Summary`]; it prints nothing.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::config::{ReturnKind, StudyConfig};
use crate::error::{Error, Result};
use crate::load::{find_price_file, load_events, load_prices, Event, PriceSeries};
use crate::simulate::SimManifest;
use crate::stats::car::car_variance;
use crate::stats::ols::{fit_market_model, FitError};
use crate::stats::tdist::two_sided_p;
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
/// never pairs a two-day stock return with a one-day market return (SPEC §3.1).
pub fn join_returns(stock: &PriceSeries, market: &PriceSeries, kind: ReturnKind) -> JoinedReturns {
    let mpos: HashMap<NaiveDate, usize> = market.dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let n = stock.dates.len();
    let mut ret = vec![f64::NAN; n];
    let mut mret = vec![None; n];
    let f = |a: f64, b: f64| match kind {
        ReturnKind::Simple => b / a - 1.0,
        ReturnKind::Log => (b / a).ln(),
    };
    for i in 1..n {
        ret[i] = f(stock.prices[i - 1], stock.prices[i]);
        if let (Some(&j0), Some(&j1)) = (mpos.get(&stock.dates[i - 1]), mpos.get(&stock.dates[i])) {
            mret[i] = Some(f(market.prices[j0], market.prices[j1]));
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

    // An explicitly requested ticker or market without a file is a usage error.
    let available = list_tickers(&cfg.data_dir);
    let missing = |t: &str| {
        Error::Usage(format!(
            "no price file for '{t}' in {}: expected {}/{t}.csv; tickers with price files there: {}",
            cfg.data_dir.display(),
            cfg.data_dir.display(),
            if available.is_empty() { "none".to_string() } else { available.join(", ") }
        ))
    };
    let market_path = find_price_file(&cfg.data_dir, &cfg.market).ok_or_else(|| missing(&cfg.market))?;
    if let Some(req) = &cfg.tickers {
        for t in req {
            if find_price_file(&cfg.data_dir, t).is_none() {
                return Err(missing(t));
            }
        }
    }
    let market = load_prices(&market_path, &cfg.market)?;
    warnings.extend(market.warnings.iter().cloned());
    let market_sim = manifest.as_ref().is_some_and(|m| m.covers(&market.path, &market.sha256));

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
    inputs.push(price_input("market", &market, market_sim));

    let mut results = Vec::new();
    let mut notes = cfg.notes.clone();
    for ticker in &tickers {
        let evs: Vec<&Event> = events.iter().filter(|e| e.concerns(ticker)).collect();
        if evs.is_empty() {
            notes.push(format!(
                "no event in {} concerns {ticker}: name it in the ticker column, or leave that column empty for events that concern every ticker",
                cfg.events_file.display()
            ));
        }
        let stock = match find_price_file(&cfg.data_dir, ticker) {
            Some(p) => Some(load_prices(&p, ticker)?),
            None => None,
        };
        let Some(stock) = stock else {
            for e in evs {
                let mut r = blank_result(e, ticker, false);
                exclude(&mut r, "no_price_file", format!("no price file {}/{ticker}.csv", cfg.data_dir.display()));
                results.push(r);
            }
            continue;
        };
        warnings.extend(stock.warnings.iter().cloned());
        let sim = market_sim || manifest.as_ref().is_some_and(|m| m.covers(&stock.path, &stock.sha256));
        inputs.push(price_input("stock", &stock, sim));
        let joined = join_returns(&stock, &market, cfg.returns);
        let day0s: Vec<(String, Option<usize>)> = evs.iter().map(|e| (e.id.clone(), day0_index(&joined.dates, e.date))).collect();
        for e in &evs {
            results.push(compute_event(cfg, &joined, e, ticker, sim, &day0s));
        }
    }

    let mut exclusions = BTreeMap::new();
    for r in &results {
        if let Some(reason) = &r.reason {
            *exclusions.entry(reason.clone()).or_insert(0) += 1;
        }
    }
    let any_sim = inputs.iter().any(|i| i.simulated);
    let data_notice = any_sim.then(|| crate::simulate::notice(manifest.as_ref()));
    Ok(Summary {
        tool: Tool { name: "eventstudy".into(), version: env!("CARGO_PKG_VERSION").into() },
        study: cfg.study_name(&tickers),
        config: ConfigOut {
            tickers: tickers.clone(),
            market: cfg.market.clone(),
            model: "market".into(),
            returns: cfg.returns,
            estimation: cfg.estimation,
            window: cfg.window,
            car_windows: cfg.car_windows.clone(),
            min_estimation: cfg.min_estimation,
            non_trading: "next".into(),
            data_dir: cfg.data_dir.display().to_string(),
            events_file: cfg.events_file.display().to_string(),
            out_dir: cfg.out_dir.display().to_string(),
        },
        conventions: conventions(cfg),
        inputs,
        data_notice,
        notes,
        warnings,
        events: results,
        exclusions,
    })
}

fn conventions(cfg: &StudyConfig) -> Conventions {
    Conventions {
        s2_denominator: "M-2 (SSR/(M-2), MacKinlay 1997)".into(),
        car_variance: "exact forecast-error variance s^2 * 1'(I + X*(X'X)^-1 X*')1".into(),
        t_distribution: "Student t with M-2 degrees of freedom".into(),
        p_value: "two-sided".into(),
        day0: "first trading day of the ticker on or after the event date".into(),
        returns: match cfg.returns {
            ReturnKind::Simple => "simple, P_t/P_{t-1} - 1, trade-to-trade on the stock's own rows; benchmark joined on date".into(),
            ReturnKind::Log => "log, ln(P_t/P_{t-1}), trade-to-trade on the stock's own rows; benchmark joined on date".into(),
        },
        significance_marks: "* p<0.10, ** p<0.05, *** p<0.01".into(),
        confidence_band: "95%: CAR +/- t(0.975, M-2) * se".into(),
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

fn compute_event(
    cfg: &StudyConfig,
    j: &JoinedReturns,
    e: &Event,
    ticker: &str,
    simulated: bool,
    day0s: &[(String, Option<usize>)],
) -> EventResult {
    let mut r = blank_result(e, ticker, simulated);
    let n = j.dates.len() as i64;
    let (first, last) = (j.dates[0], j.dates[j.dates.len() - 1]);
    if e.date < first || e.date > last {
        exclude(&mut r, "day0_outside_data", format!("event date {} is outside {ticker}'s prices ({first} to {last})", e.date));
        return r;
    }
    let d0 = day0_index(&j.dates, e.date).expect("inside data");
    let day0_date = j.dates[d0];
    r.day0 = Some(day0_date.to_string());
    let gap = (day0_date - e.date).num_days();
    r.day0_rule = Some(if gap == 0 { "same-day".into() } else { "next-trading-day".into() });
    if gap > MAX_DAY0_GAP_DAYS {
        exclude(&mut r, "day0_outside_data", format!("no {ticker} price within {MAX_DAY0_GAP_DAYS} days after {} (next is {day0_date})", e.date));
        return r;
    }
    let (w0, w1) = cfg.window;
    let (lo, hi) = (d0 as i64 + w0 as i64, d0 as i64 + w1 as i64);
    if lo < 1 || hi > n - 1 {
        exclude(
            &mut r,
            "event_window_outside_data",
            format!("event window [{w0},{w1}] around day 0 {day0_date} needs {ticker} prices from before {first} or after {last}"),
        );
        return r;
    }
    let missing_bench: Vec<String> = (lo..=hi).filter(|&i| j.market[i as usize].is_none()).map(|i| j.dates[i as usize].to_string()).collect();
    if !missing_bench.is_empty() {
        exclude(
            &mut r,
            "benchmark_missing",
            format!("the benchmark {} has no price for the return on {} inside the event window", cfg.market, missing_bench.join(", ")),
        );
        return r;
    }

    // Estimation window, clipped to the data; days without a benchmark return are left out.
    let (e0, e1) = cfg.estimation;
    let est_lo = (d0 as i64 + e0 as i64).max(1);
    let est_hi = d0 as i64 + e1 as i64;
    let wanted = (e1 - e0 + 1) as usize;
    let (mut y, mut x, mut est_dates) = (Vec::with_capacity(wanted), Vec::with_capacity(wanted), Vec::with_capacity(wanted));
    let mut no_bench = 0usize;
    if est_hi >= est_lo {
        for i in est_lo..=est_hi {
            let i = i as usize;
            match j.market[i] {
                Some(m) => {
                    y.push(j.ret[i]);
                    x.push(m);
                    est_dates.push(j.dates[i]);
                }
                None => no_bench += 1,
            }
        }
    }
    if y.len() < cfg.min_estimation {
        exclude(
            &mut r,
            "too_few_estimation_days",
            format!(
                "{} estimation days with both returns, fewer than --min-estimation={} (window [{e0},{e1}] wants {wanted})",
                y.len(),
                cfg.min_estimation
            ),
        );
        return r;
    }
    if y.len() < wanted {
        r.notes.push(format!(
            "estimation uses {} of the {wanted} days of [{e0},{e1}] ({} before the first price, {no_bench} without a benchmark price)",
            y.len(),
            wanted - y.len() - no_bench
        ));
    }
    let fit = match fit_market_model(&y, &x) {
        Ok(f) => f,
        Err(FitError::ConstantRegressor) => {
            exclude(&mut r, "degenerate_estimation", format!("the benchmark {} return is constant over the estimation window", cfg.market));
            return r;
        }
        Err(FitError::TooFewObservations) => {
            exclude(&mut r, "too_few_estimation_days", "fewer than 3 estimation days".into());
            return r;
        }
    };
    let y_mean = y.iter().sum::<f64>() / y.len() as f64;
    let sst: f64 = y.iter().map(|v| (v - y_mean).powi(2)).sum();
    let df = fit.df() as f64;

    // Other events of this ticker inside this event window or the estimation window.
    for (id, other) in day0s {
        if *id == e.id {
            continue;
        }
        if let Some(o) = *other {
            let o = o as i64;
            if (lo..=hi).contains(&o) && o != d0 as i64 {
                r.notes.push(format!("event {id} (day 0 {}) lies inside this event window, at day {:+}", j.dates[o as usize], o - d0 as i64));
            } else if o == d0 as i64 {
                r.notes.push(format!("event {id} has the same day 0"));
            } else if (est_lo..=est_hi).contains(&o) {
                r.notes.push(format!("event {id} (day 0 {}) lies inside the estimation window", j.dates[o as usize]));
            }
        }
    }

    let mut cum = 0.0;
    let mut window_market = Vec::with_capacity((hi - lo + 1) as usize);
    for i in lo..=hi {
        let i = i as usize;
        let m = j.market[i].expect("checked above");
        let expected = fit.expected(m);
        let ar = j.ret[i] - expected;
        cum += ar;
        window_market.push(m);
        let se_day = car_variance(&fit, &[m]).sqrt();
        r.ar.push(ArRow {
            day: (i as i64 - d0 as i64) as i32,
            date: j.dates[i].to_string(),
            ret: j.ret[i],
            market_ret: m,
            expected,
            ar,
            car: cum,
            t: ar / se_day,
            car_se: car_variance(&fit, &window_market).sqrt(),
        });
    }
    for &(a, b) in &cfg.car_windows {
        let rows = &r.ar[(a - w0) as usize..=(b - w0) as usize];
        let car: f64 = rows.iter().map(|x| x.ar).sum();
        let wm: Vec<f64> = rows.iter().map(|x| x.market_ret).collect();
        let se = car_variance(&fit, &wm).sqrt();
        let t = car / se;
        r.car.push(CarRow { window: (a, b), car, se, t, p: two_sided_p(t, df) });
    }
    r.model = Some(ModelOut {
        alpha: fit.alpha,
        beta: fit.beta,
        sigma: fit.sigma(),
        n_obs: fit.n,
        df: fit.df(),
        estimation_start: est_dates[0].to_string(),
        estimation_end: est_dates[est_dates.len() - 1].to_string(),
        r_squared: if sst > 0.0 { 1.0 - fit.ssr / sst } else { 0.0 },
    });
    r
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
        let j = join_returns(&stock, &market, ReturnKind::Simple);
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
        let j = join_returns(&s, &s, ReturnKind::Log);
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

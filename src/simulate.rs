//! The deterministic generator of the bundled sample data (`eventstudy simulate`).
//!
//! We may not redistribute real prices, so `data/` ships a *simulated* sample that behaves like
//! the real stocks and is labelled as simulated everywhere it is shown. Model, per trading day t
//! of a New York Stock Exchange calendar (weekends and NYSE holidays removed):
//!
//! * market log return r_m,t = μ_m + σ_t·z_t, with z_t Student t(4) scaled to unit variance and
//!   σ_t² = ω + a·(r_m,t−1 − μ_m)² + b·σ_t−1² (GARCH(1,1), a = 0.08, b = 0.90, long-run
//!   daily volatility 1.1%);
//! * stock log return r_i,t = α_i + β_i·r_m,t + s_i·u_i,t + J_i,t, with u fat-tailed like z and
//!   J rare random jumps (probability 0.3% a day, N(0, 6%)); on the news dates of
//!   [`NEWS_JUMPS`] the whole idiosyncratic part s_i·u_i,t + J_i,t is replaced by the listed
//!   move, sized like the moves the news coverage reported, so the sample tells the story of
//!   the events whatever the seed;
//! * cash dividends lower the raw `Close` on ex-dates; `Adj Close` is the Yahoo-style
//!   back-adjusted series, so the total return is in `Adj Close` only;
//! * Open/High/Low/Volume are drawn around the close so the files look like Yahoo exports; the
//!   volume grows with the day's surprise, and on the news days of [`NEWS_JUMPS`] it is
//!   [`NEWS_VOLUME`] times the usual (a volume study of the sample finds them).
//!
//! The random stream is ChaCha8 seeded with `--seed`, so a seed gives the same files on every
//! machine. A manifest `simulated.json` records each file's SHA-256, which is how outputs know
//! that a price file is (still) the simulated sample.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, StudentT};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::load::sha256_hex;

/// The default seed of the bundled sample.
pub const DEFAULT_SEED: u64 = 20_250_213;
/// File name of the manifest written next to the simulated files.
pub const MANIFEST: &str = "simulated.json";

/// Parameters of one simulated ticker.
#[derive(Debug, Clone)]
pub struct TickerSpec {
    /// Borrowed for the bundled constants, owned for generated panels.
    pub ticker: Cow<'static, str>,
    pub start_price: f64,
    /// Daily alpha (log return).
    pub alpha: f64,
    pub beta: f64,
    /// Daily idiosyncratic volatility.
    pub idio_vol: f64,
    /// (month, day-of-month, amount): cash dividend ex-dates each year (moved to the next
    /// trading day when not one).
    pub dividends: &'static [(u32, u32, f64)],
    pub base_volume: f64,
}

/// The bundled tickers, with betas and volatilities like the real stocks' against SPY.
pub const SAMPLE_TICKERS: &[TickerSpec] = &[
    TickerSpec {
        ticker: Cow::Borrowed("BABA"),
        start_price: 118.0,
        alpha: 0.0,
        beta: 0.95,
        idio_vol: 0.024,
        dividends: &[(6, 12, 1.00)],
        base_volume: 16e6,
    },
    TickerSpec {
        ticker: Cow::Borrowed("AAPL"),
        start_price: 178.0,
        alpha: 0.0002,
        beta: 1.15,
        idio_vol: 0.012,
        dividends: &[(2, 9, 0.24), (5, 10, 0.25), (8, 11, 0.25), (11, 8, 0.25)],
        base_volume: 55e6,
    },
    TickerSpec {
        ticker: Cow::Borrowed("BIDU"),
        start_price: 145.0,
        alpha: -0.0002,
        beta: 1.00,
        idio_vol: 0.023,
        dividends: &[],
        base_volume: 3e6,
    },
];

/// The simulated benchmark.
pub const SAMPLE_MARKET: TickerSpec = TickerSpec {
    ticker: Cow::Borrowed("SPY"),
    start_price: 475.0,
    alpha: 0.0,
    beta: 1.0,
    idio_vol: 0.0,
    dividends: &[(3, 18, 1.60), (6, 17, 1.65), (9, 16, 1.70), (12, 16, 1.75)],
    base_volume: 70e6,
};

/// The bundled Hong Kong lines, on the Hong Kong calendar against the simulated Hang Seng
/// index (prices in HKD): Alibaba's and Baidu's Hong Kong listings.
pub const HK_TICKERS: &[TickerSpec] = &[
    TickerSpec {
        ticker: Cow::Borrowed("9988.HK"),
        start_price: 115.0,
        alpha: 0.0,
        beta: 1.20,
        idio_vol: 0.022,
        dividends: &[(6, 12, 0.95)],
        base_volume: 60e6,
    },
    TickerSpec {
        ticker: Cow::Borrowed("9888.HK"),
        start_price: 140.0,
        alpha: -0.0002,
        beta: 1.15,
        idio_vol: 0.022,
        dividends: &[],
        base_volume: 6e6,
    },
];

/// The simulated Hang Seng index, the Hong Kong lines' benchmark (tickers.csv).
pub const HK_MARKET: TickerSpec = TickerSpec {
    ticker: Cow::Borrowed("HSI"),
    start_price: 23000.0,
    alpha: -0.0002,
    beta: 1.0,
    idio_vol: 0.0,
    dividends: &[],
    base_volume: 2e9,
};

/// Hong Kong Exchange full-day holidays of the bundled years (HKEX's published lists): the
/// lunar holidays have no closed-form rule.
const HKEX_HOLIDAYS: &[&str] = &[
    "2022-02-01",
    "2022-02-02",
    "2022-02-03",
    "2022-04-05",
    "2022-04-15",
    "2022-04-18",
    "2022-05-02",
    "2022-05-09",
    "2022-06-03",
    "2022-07-01",
    "2022-09-12",
    "2022-10-04",
    "2022-12-26",
    "2022-12-27",
    "2023-01-02",
    "2023-01-23",
    "2023-01-24",
    "2023-01-25",
    "2023-04-05",
    "2023-04-07",
    "2023-04-10",
    "2023-05-01",
    "2023-05-26",
    "2023-06-22",
    "2023-09-29",
    "2023-10-02",
    "2023-10-23",
    "2023-12-25",
    "2023-12-26",
    "2024-01-01",
    "2024-02-12",
    "2024-02-13",
    "2024-03-29",
    "2024-04-01",
    "2024-04-04",
    "2024-05-01",
    "2024-05-15",
    "2024-06-10",
    "2024-07-01",
    "2024-09-18",
    "2024-10-01",
    "2024-10-11",
    "2024-12-25",
    "2024-12-26",
    "2025-01-01",
    "2025-01-29",
    "2025-01-30",
    "2025-01-31",
    "2025-04-04",
    "2025-04-18",
    "2025-04-21",
    "2025-05-01",
    "2025-05-05",
    "2025-07-01",
    "2025-10-01",
    "2025-10-07",
    "2025-10-29",
    "2025-12-25",
    "2025-12-26",
];

/// Hong Kong trading days in [start, end]: weekdays without [`HKEX_HOLIDAYS`] (other years
/// keep only the fixed-date holidays: 1 January, 1 May, 1 July, 1 October, 25 and 26 December).
pub fn hkex_calendar(start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    let listed: Vec<NaiveDate> =
        HKEX_HOLIDAYS.iter().map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("valid date")).collect();
    let mut out = Vec::new();
    let mut d = start;
    while d <= end {
        let fixed = matches!((d.month(), d.day()), (1, 1) | (5, 1) | (7, 1) | (10, 1) | (12, 25) | (12, 26));
        let closed = if (2022..=2025).contains(&d.year()) { listed.contains(&d) } else { fixed };
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !closed {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

/// How many times its usual volume a ticker trades on the days of [`NEWS_JUMPS`].
pub const NEWS_VOLUME: f64 = 3.0;

/// News moves placed on the dates of the real events (data/events.csv), as abnormal log
/// returns on the first trading day on or after the date: (ticker, date, jump).
pub const NEWS_JUMPS: &[(&str, &str, f64)] = &[
    ("BIDU", "2024-03-22", 0.008),
    ("BIDU", "2024-03-25", 0.012),
    ("AAPL", "2025-02-11", 0.020),
    ("BABA", "2025-02-11", 0.013),
    ("BABA", "2025-02-12", 0.048),
    ("BIDU", "2025-02-12", -0.028),
    ("BABA", "2025-02-13", 0.010),
    ("BABA", "2025-02-14", 0.042),
    ("BABA", "2025-05-15", -0.079),
    ("BABA", "2025-05-19", -0.015),
    // Hong Kong: the US-time news reaches Hong Kong the next session.
    ("9888.HK", "2024-03-25", 0.010),
    ("9988.HK", "2025-02-12", 0.050),
    ("9988.HK", "2025-02-13", 0.040),
    ("9988.HK", "2025-05-16", -0.075),
    ("9988.HK", "2025-05-19", -0.015),
];

/// Options of `eventstudy simulate`.
#[derive(Debug, Clone)]
pub struct SimOptions {
    pub seed: u64,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            seed: DEFAULT_SEED,
            start: NaiveDate::from_ymd_opt(2022, 1, 3).unwrap(),
            end: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        }
    }
}

/// One simulated series in Yahoo layout.
#[derive(Debug, Clone)]
pub struct SimSeries {
    pub ticker: String,
    pub dates: Vec<NaiveDate>,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub adj_close: Vec<f64>,
    pub volume: Vec<u64>,
}

impl SimSeries {
    /// The adjusted closes as a loaded price series (no file involved).
    pub fn to_price_series(&self) -> crate::load::PriceSeries {
        crate::load::PriceSeries {
            ticker: self.ticker.clone(),
            path: format!("{}.csv", self.ticker).into(),
            sha256: String::new(),
            dates: self.dates.clone(),
            prices: self.adj_close.clone(),
            price_column: "Adj Close".into(),
            volumes: Some(self.volume.iter().map(|v| Some(*v as f64)).collect()),
            warnings: vec![],
            date_order: None,
        }
    }

    /// The file's text: `Date,Open,High,Low,Close,Adj Close,Volume`, 6 decimals, LF.
    pub fn to_yahoo_csv(&self) -> String {
        let mut s = String::from("Date,Open,High,Low,Close,Adj Close,Volume\n");
        for i in 0..self.dates.len() {
            s.push_str(&format!(
                "{},{:.6},{:.6},{:.6},{:.6},{:.6},{}\n",
                self.dates[i],
                self.open[i],
                self.high[i],
                self.low[i],
                self.close[i],
                self.adj_close[i],
                self.volume[i]
            ));
        }
        s
    }
}

/// The manifest that marks files as the simulated sample.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimManifest {
    pub generator: String,
    pub seed: u64,
    pub note: String,
    /// File name → SHA-256 of the file as generated.
    pub files: BTreeMap<String, String>,
}

impl SimManifest {
    /// Reads `<dir>/simulated.json` when present and well-formed.
    pub fn read(dir: &Path) -> Option<SimManifest> {
        let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
        serde_json::from_str(&text).ok()
    }
    /// Whether `path` is listed and still has the generated content.
    pub fn covers(&self, path: &Path, sha256: &str) -> bool {
        path.file_name().and_then(|n| n.to_str()).and_then(|n| self.files.get(n)).is_some_and(|h| h == sha256)
    }
}

/// The label shown in every output made from the sample.
pub fn notice(m: Option<&SimManifest>) -> String {
    let seed = m.map(|m| format!(", seed {}", m.seed)).unwrap_or_default();
    format!("SIMULATED SAMPLE DATA (eventstudy simulate{seed}): not real market prices")
}

/// NYSE trading days in [start, end]: weekdays without the exchange's full-day holidays.
pub fn nyse_calendar(start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = start;
    while d <= end {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !is_nyse_holiday(d) {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

fn nth_weekday(y: i32, m: u32, wd: Weekday, n: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(y, m, wd, n as u8).unwrap()
}

fn last_weekday(y: i32, m: u32, wd: Weekday) -> NaiveDate {
    let mut d = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) }
        .unwrap()
        - Duration::days(1);
    while d.weekday() != wd {
        d -= Duration::days(1);
    }
    d
}

/// Saturday holidays are observed on Friday, Sunday ones on Monday (New Year's Day on a
/// Saturday is not observed).
fn observed(d: NaiveDate) -> Option<NaiveDate> {
    match d.weekday() {
        Weekday::Sat if d.month() == 1 && d.day() == 1 => None,
        Weekday::Sat => Some(d - Duration::days(1)),
        Weekday::Sun => Some(d + Duration::days(1)),
        _ => Some(d),
    }
}

/// Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
fn easter(y: i32) -> NaiveDate {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(y, month as u32, day as u32).unwrap()
}

/// NYSE full-day holidays (rules in force since 2022).
pub fn is_nyse_holiday(d: NaiveDate) -> bool {
    let y = d.year();
    let ymd = |m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let fixed = [ymd(1, 1), ymd(6, 19), ymd(7, 4), ymd(12, 25)];
    if fixed.iter().filter_map(|&h| observed(h)).any(|h| h == d) {
        return true;
    }
    // New Year's Day of next year observed on 31 Dec is not a holiday (NYSE rule), handled above.
    let floating = [
        nth_weekday(y, 1, Weekday::Mon, 3),  // Martin Luther King Jr. Day
        nth_weekday(y, 2, Weekday::Mon, 3),  // Washington's Birthday
        easter(y) - Duration::days(2),       // Good Friday
        last_weekday(y, 5, Weekday::Mon),    // Memorial Day
        nth_weekday(y, 9, Weekday::Mon, 1),  // Labor Day
        nth_weekday(y, 11, Weekday::Thu, 4), // Thanksgiving
    ];
    if floating.contains(&d) {
        return true;
    }
    // National days of mourning that closed the exchange.
    d == NaiveDate::from_ymd_opt(2025, 1, 9).unwrap()
}

/// A large synthetic panel for benchmarks and simulation studies: `n` stocks named `S0001`,
/// `S0002`, … with betas drawn uniformly in [0.5, 1.5] and idiosyncratic volatilities in
/// [1%, 3%] a day (a second ChaCha8 stream seeded with `seed + 1`), no dividends and no news
/// jumps, against the simulated SPY.
pub fn simulate_panel(opts: &SimOptions, n: usize) -> (SimSeries, Vec<SimSeries>) {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed.wrapping_add(1));
    let specs: Vec<TickerSpec> = (0..n)
        .map(|i| TickerSpec {
            ticker: Cow::Owned(format!("S{:04}", i + 1)),
            start_price: 20.0 + 180.0 * rng.gen::<f64>(),
            alpha: 0.0,
            beta: 0.5 + rng.gen::<f64>(),
            idio_vol: 0.01 + 0.02 * rng.gen::<f64>(),
            dividends: &[],
            base_volume: 1e6,
        })
        .collect();
    simulate(opts, &specs, &SAMPLE_MARKET)
}

/// Generates the market and stock series on the NYSE calendar.
pub fn simulate(opts: &SimOptions, tickers: &[TickerSpec], market: &TickerSpec) -> (SimSeries, Vec<SimSeries>) {
    simulate_on(&nyse_calendar(opts.start, opts.end), opts.seed, tickers, market)
}

/// The largest daily log return a simulated stock makes, either way: a day's price ratio stays
/// within e^±0.3 = [0.74, 1.35], inside the band where the loader's unadjusted-split check
/// (a 3-for-2 or 2-for-3 ratio, within 3%) never fires, so a clean simulated file is not
/// flagged. The bundled sample's largest move is 0.21, so it is unchanged.
pub const MAX_DAILY_LOG_RETURN: f64 = 0.3;

/// Generates the market and stock series on the trading days `dates`, from `seed`.
fn simulate_on(
    dates: &[NaiveDate],
    seed: u64,
    tickers: &[TickerSpec],
    market: &TickerSpec,
) -> (SimSeries, Vec<SimSeries>) {
    let dates = dates.to_vec();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t4 = StudentT::new(4.0).unwrap();
    let unit = |rng: &mut ChaCha8Rng| t4.sample(rng) / 2f64.sqrt();
    let n = dates.len();

    // Market: GARCH(1,1) with fat-tailed shocks.
    let (a, b, long_vol) = (0.08, 0.90, 0.011_f64);
    let omega = long_vol * long_vol * (1.0 - a - b);
    let mu_m = 0.0004;
    let mut var = long_vol * long_vol;
    let mut rm = vec![0.0; n];
    for r in rm.iter_mut().skip(1) {
        let eps = var.sqrt() * unit(&mut rng);
        *r = mu_m + eps;
        var = omega + a * eps * eps + b * var;
    }
    let market_series = build_series(market, &dates, &rm, &vec![0.0; n], &mut rng);

    let jump_size = Normal::new(0.0, 0.06).unwrap();
    let mut out = Vec::new();
    for spec in tickers {
        let mut r = vec![0.0; n];
        let mut abn = vec![0.0; n];
        for a in abn.iter_mut().skip(1) {
            let mut e = spec.idio_vol * unit(&mut rng);
            if rng.gen::<f64>() < 0.003 {
                e += jump_size.sample(&mut rng);
            }
            *a = e;
        }
        for (tk, date, jump) in NEWS_JUMPS {
            if *tk == spec.ticker.as_ref() {
                let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
                let i = dates.partition_point(|x| *x < d);
                if i > 0 && i < n {
                    abn[i] = *jump;
                }
            }
        }
        for t in 1..n {
            r[t] = (spec.alpha + spec.beta * rm[t] + abn[t]).clamp(-MAX_DAILY_LOG_RETURN, MAX_DAILY_LOG_RETURN);
        }
        out.push(build_series(spec, &dates, &r, &abn, &mut rng));
    }
    (market_series, out)
}

/// Turns total log returns into raw closes (dividends drop the price on ex-dates), the
/// back-adjusted close, and plausible Open/High/Low/Volume.
fn build_series(spec: &TickerSpec, dates: &[NaiveDate], r: &[f64], abn: &[f64], rng: &mut ChaCha8Rng) -> SimSeries {
    let n = dates.len();
    let mut close = vec![0.0; n];
    let mut div = vec![0.0; n];
    for (m, d, amount) in spec.dividends {
        for y in dates[0].year()..=dates[n - 1].year() {
            if let Some(ex) = NaiveDate::from_ymd_opt(y, *m, *d) {
                let i = dates.partition_point(|x| *x < ex);
                if i > 0 && i < n {
                    div[i] += amount;
                }
            }
        }
    }
    close[0] = spec.start_price;
    for t in 1..n {
        // Total return: (P_t + D_t) / P_{t-1} = exp(r_t).
        close[t] = (close[t - 1] * r[t].exp() - div[t]).max(0.01);
    }
    // Yahoo back-adjustment: every price before an ex-date is multiplied by (1 − D/P_{ex−1}).
    let mut adj = close.clone();
    let mut factor = 1.0;
    for t in (0..n).rev() {
        adj[t] = close[t] * factor;
        if div[t] > 0.0 && t > 0 {
            factor *= 1.0 - div[t] / close[t - 1];
        }
    }
    let noise = Normal::new(0.0, 1.0).unwrap();
    let vol = (spec.beta * 0.011).hypot(spec.idio_vol);
    // The news days of this ticker trade [`NEWS_VOLUME`] times the usual volume.
    let news: Vec<usize> = NEWS_JUMPS
        .iter()
        .filter(|(tk, _, _)| *tk == spec.ticker.as_ref())
        .filter_map(|(_, d, _)| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| dates.partition_point(|x| *x < d))
        .filter(|&i| i < n)
        .collect();
    let (mut open, mut high, mut low, mut volume) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0u64; n]);
    for t in 0..n {
        let prev = if t == 0 { close[0] } else { close[t - 1] - div[t] };
        let gap = if t == 0 { 0.0 } else { 0.4 * (r[t]) + 0.2 * vol * noise.sample(rng) };
        open[t] = prev * gap.exp();
        let up: f64 = 0.35 * vol * noise.sample(rng).abs();
        let down: f64 = 0.35 * vol * noise.sample(rng).abs();
        high[t] = open[t].max(close[t]) * up.exp();
        low[t] = open[t].min(close[t]) * (-down).exp();
        let surprise = if spec.idio_vol > 0.0 { abn[t].abs() / spec.idio_vol } else { r[t].abs() / 0.011 };
        let spike = if news.contains(&t) { NEWS_VOLUME } else { 1.0 };
        volume[t] =
            (spec.base_volume * (0.3 * noise.sample(rng)).exp() * (1.0 + 0.5 * surprise) * spike).round() as u64;
    }
    SimSeries { ticker: spec.ticker.to_string(), dates: dates.to_vec(), open, high, low, close, adj_close: adj, volume }
}

/// Writes the sample into `dir` (one `<TICKER>.csv` each plus `simulated.json`), refusing to
/// overwrite an existing file unless `force` is set. Returns the paths written.
pub fn write_sample(dir: &Path, opts: &SimOptions, force: bool) -> Result<Vec<String>> {
    let (market, mut stocks) = simulate(opts, SAMPLE_TICKERS, &SAMPLE_MARKET);
    // The Hong Kong lines come from a stream of their own, so the US files do not depend on them.
    let hk_dates = hkex_calendar(opts.start, opts.end);
    let (hsi, hk) = simulate_on(&hk_dates, opts.seed.wrapping_add(2), HK_TICKERS, &HK_MARKET);
    stocks.push(hsi);
    stocks.extend(hk);
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Output(format!("{}: cannot create the folder: {e}", dir.display())))?;
    let mut files = BTreeMap::new();
    let mut written = Vec::new();
    let all: Vec<&SimSeries> = std::iter::once(&market).chain(stocks.iter()).collect();
    let names: Vec<String> = all.iter().map(|s| format!("{}.csv", s.ticker)).chain([MANIFEST.to_string()]).collect();
    if !force {
        if let Some(existing) = names.iter().find(|n| dir.join(n).exists()) {
            return Err(Error::Usage(format!(
                "{} already exists; simulate never overwrites files (use --force to replace the simulated sample)",
                dir.join(existing).display()
            )));
        }
    }
    for s in all {
        let text = s.to_yahoo_csv();
        let name = format!("{}.csv", s.ticker);
        crate::output::write_atomic(&dir.join(&name), text.as_bytes())?;
        files.insert(name.clone(), sha256_hex(text.as_bytes()));
        written.push(dir.join(name).display().to_string());
    }
    let manifest = SimManifest {
        generator: format!(
            "eventstudy simulate {} (seed {}, {} to {})",
            env!("CARGO_PKG_VERSION"),
            opts.seed,
            opts.start,
            opts.end
        ),
        seed: opts.seed,
        note: "Simulated sample prices, not real market data. See data/README.md.".into(),
        files,
    };
    let json = serde_json::to_string_pretty(&manifest).expect("serialisable") + "\n";
    crate::output::write_atomic(&dir.join(MANIFEST), json.as_bytes())?;
    written.push(dir.join(MANIFEST).display().to_string());
    Ok(written)
}

/// What `eventstudy simulate --tickers N` writes: a benchmark-size panel.
#[derive(Debug, Clone, Copy)]
pub struct PanelSpec {
    pub tickers: usize,
    pub events: usize,
}

/// Kinds drawn for the generated events.
const PANEL_KINDS: [&str; 4] = ["rumor", "report", "confirmation", "earnings"];

/// Writes a large simulated panel for benchmarks and scaling tests: `S0001.csv` … (header
/// `Date,Close`, 4 decimals) and `SPY.csv` from [`simulate_panel`], the same prices as one long
/// file `panel.csv` (`date,ticker,close`, ticker by ticker), `events.csv` (`id,date,ticker,kind`,
/// one ticker a row, dates drawn uniformly from the trading days that leave room for a
/// [-250, +10] study window; a third ChaCha8 stream seeded with `seed + 2`) and `simulated.json`.
/// Existing files are never overwritten unless `force` is set.
pub fn write_panel(dir: &Path, opts: &SimOptions, spec: PanelSpec, force: bool) -> Result<Vec<String>> {
    let (market, stocks) = simulate_panel(opts, spec.tickers);
    let n = market.dates.len();
    if n < 280 {
        return Err(Error::Usage(format!(
            "--start {} to --end {} has {n} trading days; a panel needs at least 280 (250 estimation days and the event window)",
            opts.start, opts.end
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Output(format!("{}: cannot create the folder: {e}", dir.display())))?;
    let all: Vec<&SimSeries> = std::iter::once(&market).chain(stocks.iter()).collect();
    let fixed = ["panel.csv", "events.csv", MANIFEST];
    if !force {
        let names = all.iter().map(|s| format!("{}.csv", s.ticker)).chain(fixed.iter().map(|s| s.to_string()));
        if let Some(existing) = names.into_iter().find(|n| dir.join(n).exists()) {
            return Err(Error::Usage(format!(
                "{} already exists; simulate never overwrites files (use --force to replace it)",
                dir.join(existing).display()
            )));
        }
    }
    let mut files = BTreeMap::new();
    let mut written = Vec::new();
    let mut long = String::with_capacity(all.len() * n * 26 + 20);
    long.push_str("date,ticker,close\n");
    for s in &all {
        let mut text = String::with_capacity(n * 20 + 11);
        text.push_str("Date,Close\n");
        for (d, p) in s.dates.iter().zip(&s.adj_close) {
            let _ = writeln!(text, "{d},{p:.4}");
            let _ = writeln!(long, "{d},{},{p:.4}", s.ticker);
        }
        let name = format!("{}.csv", s.ticker);
        crate::output::write_atomic(&dir.join(&name), text.as_bytes())?;
        files.insert(name, sha256_hex(text.as_bytes()));
    }
    written.push(format!("{} price files ({} tickers and SPY, {n} trading days each)", all.len(), stocks.len()));
    crate::output::write_atomic(&dir.join("panel.csv"), long.as_bytes())?;
    files.insert("panel.csv".into(), sha256_hex(long.as_bytes()));
    written.push(dir.join("panel.csv").display().to_string());

    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed.wrapping_add(2));
    let mut ev = String::from("id,date,ticker,kind\n");
    for i in 0..spec.events {
        let t = rng.gen_range(0..stocks.len().max(1));
        let day = rng.gen_range(260..n - 10);
        let kind = PANEL_KINDS[rng.gen_range(0..PANEL_KINDS.len())];
        ev.push_str(&format!(
            "E{:06},{},{},{kind}\n",
            i + 1,
            market.dates[day],
            stocks.get(t).map_or("SPY", |s| s.ticker.as_str())
        ));
    }
    crate::output::write_atomic(&dir.join("events.csv"), ev.as_bytes())?;
    written.push(dir.join("events.csv").display().to_string());
    let manifest = SimManifest {
        generator: format!(
            "eventstudy simulate {} (seed {}, {} to {}, {} tickers, {} events)",
            env!("CARGO_PKG_VERSION"),
            opts.seed,
            opts.start,
            opts.end,
            spec.tickers,
            spec.events
        ),
        seed: opts.seed,
        note: "Simulated panel prices, not real market data.".into(),
        files,
    };
    let json = serde_json::to_string_pretty(&manifest).expect("serialisable") + "\n";
    crate::output::write_atomic(&dir.join(MANIFEST), json.as_bytes())?;
    written.push(dir.join(MANIFEST).display().to_string());
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    /// NYSE holidays as published by the exchange for 2024 and 2025.
    #[test]
    fn knows_the_nyse_holidays() {
        for h in [
            d(2024, 1, 1),
            d(2024, 1, 15),
            d(2024, 2, 19),
            d(2024, 3, 29),
            d(2024, 5, 27),
            d(2024, 6, 19),
            d(2024, 7, 4),
            d(2024, 9, 2),
            d(2024, 11, 28),
            d(2024, 12, 25),
            d(2025, 1, 1),
            d(2025, 1, 9),
            d(2025, 1, 20),
            d(2025, 2, 17),
            d(2025, 4, 18),
            d(2025, 5, 26),
            d(2025, 6, 19),
            d(2025, 7, 4),
            d(2025, 9, 1),
            d(2025, 11, 27),
            d(2025, 12, 25),
        ] {
            assert!(is_nyse_holiday(h), "{h} is an NYSE holiday");
        }
        assert!(!is_nyse_holiday(d(2025, 2, 13)));
        // 252 trading days in 2024 and 250 in 2025 (NYSE; 2025 includes the 9 January closure).
        assert_eq!(nyse_calendar(d(2024, 1, 1), d(2024, 12, 31)).len(), 252);
        assert_eq!(nyse_calendar(d(2025, 1, 1), d(2025, 12, 31)).len(), 250);
    }

    #[test]
    fn the_same_seed_gives_the_same_files() {
        let o = SimOptions { seed: 7, start: d(2024, 1, 2), end: d(2024, 3, 1) };
        let (m1, s1) = simulate(&o, SAMPLE_TICKERS, &SAMPLE_MARKET);
        let (m2, s2) = simulate(&o, SAMPLE_TICKERS, &SAMPLE_MARKET);
        assert_eq!(m1.to_yahoo_csv(), m2.to_yahoo_csv());
        assert_eq!(s1[0].to_yahoo_csv(), s2[0].to_yahoo_csv());
    }

    #[test]
    fn adjusted_close_carries_the_dividends() {
        let o = SimOptions { seed: 1, start: d(2024, 1, 2), end: d(2024, 12, 31) };
        let (_, s) = simulate(&o, SAMPLE_TICKERS, &SAMPLE_MARKET);
        let aapl = s.iter().find(|x| x.ticker == "AAPL").unwrap();
        let last = aapl.dates.len() - 1;
        assert_eq!(aapl.adj_close[last], aapl.close[last]);
        assert!(aapl.adj_close[0] < aapl.close[0]);
        for i in 0..=last {
            assert!(aapl.low[i] <= aapl.open[i].min(aapl.close[i]) && aapl.high[i] >= aapl.open[i].max(aapl.close[i]));
        }
    }
}

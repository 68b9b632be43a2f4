//! The command line: one clap struct, turned into a [`StudyConfig`], run, and printed. Kept
//! thin so that everything it does is also reachable from the library.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::config::{
    Alternative, BetaKind, BmpScale, NonTrading, Format, GroupBy, ModelKind, PatellCar, ReturnKind, S2Denominator, StudyConfig, Window, DEFAULT_BOOTSTRAP,
    DEFAULT_MIN_ESTIMATION, DEFAULT_SEED,
};
use crate::error::{Error, Result};
use crate::output;
use crate::output::chart::ChartSize;
use crate::simulate::{self, SimOptions};
use crate::study::run_study;

/// How a stock reacted to dated news beyond what the market explains, and whether that
/// reaction is statistically real (market-model event study).
#[derive(Debug, Parser)]
#[command(
    name = "eventstudy",
    version,
    about,
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  eventstudy --ticker BABA\n  eventstudy --ticker BABA,BIDU,AAPL --market SPY\n  eventstudy --ticker BABA --window=-5,5 --car=0,1 --car=-2,2 --format json\n  eventstudy --ticker BABA --model ff3 --factors F-F_Research_Data_Factors_daily.CSV\n  eventstudy --group-by kind --clean-estimation\n  eventstudy --ticker 9988.HK,BABA --market 9988.HK=HSI,BABA=SPY --beta scholes-williams\n  eventstudy --panel closes.csv --ticker AAPL --market SP500\n  eventstudy --ticker BABA --chain --non-trading previous\n  eventstudy simulate --out sample-data\n\nExit codes: 0 success, 1 data error (a file that cannot be read or parsed), 2 usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub study: StudyArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the simulated sample price files (the bundled data/ was made with the defaults).
    Simulate(SimulateArgs),
}

/// Options of a study (the default command).
#[derive(Debug, Args)]
pub struct StudyArgs {
    /// Ticker(s) to study, comma-separated (e.g. BABA or BABA,BIDU,AAPL). Default: every
    /// ticker named in the events file.
    #[arg(long, value_delimiter = ',', value_name = "TICKER[,TICKER...]")]
    pub ticker: Vec<String>,
    /// Benchmark for the market model, read from <DATA>/<BENCHMARK>.csv: one ticker for all
    /// (e.g. SPY), and/or per ticker as TICKER=BENCHMARK (e.g. 9988.HK=HSI,BABA=SPY).
    /// Default: the `benchmark` column of <DATA>/tickers.csv, else SPY.
    #[arg(long, value_delimiter = ',', value_name = "BENCHMARK|TICKER=BENCHMARK")]
    pub market: Vec<String>,
    /// Estimation window A,B in trading days relative to day 0 (inclusive).
    #[arg(long, default_value = "-250,-11", value_parser = parse_window, allow_hyphen_values = true, value_name = "A,B")]
    pub estimation: Window,
    /// Event window A,B in trading days relative to day 0 (inclusive).
    #[arg(long, default_value = "-10,10", value_parser = parse_window, allow_hyphen_values = true, value_name = "A,B")]
    pub window: Window,
    /// CAR window A,B; repeat for several. Default: 0,0 -1,1 0,1 -5,5 -10,10 (those that fit
    /// inside the event window).
    #[arg(long, value_parser = parse_window, allow_hyphen_values = true, value_name = "A,B")]
    pub car: Vec<Window>,
    /// Returns from consecutive prices: simple (P_t/P_t-1 - 1) or log (ln P_t/P_t-1).
    #[arg(long, value_enum, default_value_t = ReturnKind::Simple)]
    pub returns: ReturnKind,
    /// Folder with one <TICKER>.csv per ticker and the events file.
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,
    /// Events file. Default: <DATA>/events.csv.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Output folder; each study writes into <OUT>/<study name>/.
    #[arg(long, default_value = "notebooks-out", value_name = "DIR")]
    pub out: PathBuf,
    /// What to print on stdout: a readable table, the summary.json document, or car.csv.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Name of the study folder. Default: derived from tickers and options (e.g. BABA_vs_SPY).
    #[arg(long)]
    pub name: Option<String>,
    /// Minimum number of estimation days with both returns; events with fewer are excluded.
    #[arg(long, default_value_t = DEFAULT_MIN_ESTIMATION, value_name = "N")]
    pub min_estimation: usize,
    /// Do not draw charts (faster).
    #[arg(long)]
    pub no_charts: bool,
    /// Pixel size of every chart, e.g. 1200x800 (default: 1500 wide, the height grows with the
    /// number of panels).
    #[arg(long, value_name = "WxH", value_parser = parse_chart_size)]
    pub chart_size: Option<ChartSize>,
    /// Normal-return model. Factor models regress excess returns on Ken French factors.
    #[arg(long, value_enum, default_value_t = ModelKind::Market)]
    pub model: ModelKind,
    /// Factor file for ff3/carhart/ff5 (repeatable; merged on date): a Ken French daily file
    /// as downloaded, or a CSV date,mkt_rf,smb,hml,rf,... in decimals. Default: <DATA>/factors/*.csv.
    #[arg(long, value_name = "FILE")]
    pub factors: Vec<PathBuf>,
    /// Groups for the across-event tests, comma-separated. Default: all, plus one group per
    /// ticker when there are several tickers.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "all|ticker|kind|event")]
    pub group_by: Vec<GroupBy>,
    /// Residual variance denominator: m-k-1 (textbook), m-1 (estudy2) or m (PyPI eventstudy).
    #[arg(long, value_enum, default_value_t = S2Denominator::MK1)]
    pub s2_denominator: S2Denominator,
    /// BMP standardisation: fec (forecast-error variance) or plain (residual s).
    #[arg(long, value_enum, default_value_t = BmpScale::Fec)]
    pub bmp_scale: BmpScale,
    /// Patell test over a window: exact (CAR/sqrt(Var CAR)) or sum-sar (sum of SARs / sqrt L).
    #[arg(long, value_enum, default_value_t = PatellCar::Exact)]
    pub patell_car: PatellCar,
    /// Alternative hypothesis of every p-value.
    #[arg(long, value_enum, default_value_t = Alternative::TwoSided)]
    pub alternative: Alternative,
    /// Bootstrap resamples of events (0 turns the bootstrap test off).
    #[arg(long, default_value_t = DEFAULT_BOOTSTRAP, value_name = "N")]
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Drop estimation days that fall inside another event window of the same ticker.
    #[arg(long)]
    pub clean_estimation: bool,
    /// Day 0 of a date-only event on a weekend or holiday: the next session, the previous
    /// one, or skip the event (excluded as non_trading_day). Timestamped events always take
    /// the first session whose close is at or after the instant.
    #[arg(long, value_enum, default_value_t = NonTrading::Next)]
    pub non_trading: NonTrading,
    /// Beta of the market model: OLS, or Scholes-Williams / Dimson for non-synchronous trading
    /// (a Hong Kong line against a US benchmark, thinly traded stocks).
    #[arg(long, value_enum, default_value_t = BetaKind::Ols)]
    pub beta: BetaKind,
    /// Lags and leads of the market return in the Dimson beta.
    #[arg(long, value_name = "N")]
    pub dimson_lags: Option<usize>,
    /// One file with many tickers, looked up before <DATA>/<TICKER>.csv: long
    /// (date,ticker,close) or wide (a date column and one price column per ticker).
    #[arg(long, value_name = "FILE")]
    pub panel: Option<PathBuf>,
    /// Read negative prices as CRSP bid/ask averages (absolute value) instead of refusing them.
    #[arg(long)]
    pub crsp_negative: bool,
    /// Leave out the last row of every price file (a download made during the session).
    #[arg(long)]
    pub drop_last_row: bool,
    /// Also report each chain of events of one ticker (each within the post-event part of the
    /// previous one's window, e.g. a rumour then its confirmation) as one window, from the
    /// first day 0 to the last day 0 plus the post-event days.
    #[arg(long)]
    pub chain: bool,
}

/// Options of `eventstudy simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Folder to write BABA.csv, AAPL.csv, BIDU.csv, SPY.csv and simulated.json into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Seed of the random stream.
    #[arg(long, default_value_t = simulate::DEFAULT_SEED)]
    pub seed: u64,
    /// First calendar date (YYYY-MM-DD).
    #[arg(long, default_value = "2022-01-03", value_parser = parse_day)]
    pub start: NaiveDate,
    /// Last calendar date (YYYY-MM-DD).
    #[arg(long, default_value = "2025-12-31", value_parser = parse_day)]
    pub end: NaiveDate,
    /// Replace existing files of the same names.
    #[arg(long)]
    pub force: bool,
    /// Write a benchmark panel of N generated tickers (S0001.csv ..., SPY.csv, the long
    /// panel.csv and a generated events.csv) instead of the bundled sample.
    #[arg(long, value_name = "N")]
    pub tickers: Option<usize>,
    /// Number of generated events (with --tickers).
    #[arg(long, value_name = "N", default_value_t = 1000, requires = "tickers")]
    pub events: usize,
}

fn parse_window(s: &str) -> std::result::Result<Window, String> {
    let bad = || format!("'{s}' is not a window; expected A,B with integers A <= B, e.g. -1,1");
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    let a: i32 = a.trim().parse().map_err(|_| bad())?;
    let b: i32 = b.trim().parse().map_err(|_| bad())?;
    if a > b {
        return Err(format!("'{s}' is reversed; expected A,B with A <= B"));
    }
    Ok((a, b))
}

fn parse_day(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("'{s}' is not a date; expected YYYY-MM-DD"))
}

impl StudyArgs {
    /// The validated study configuration.
    pub fn to_config(&self) -> Result<StudyConfig> {
        let mut c = StudyConfig::with_defaults(&self.data);
        let tickers: Vec<String> = self.ticker.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        if !self.ticker.is_empty() && tickers.is_empty() {
            return Err(Error::Usage("--ticker was given without a ticker name".into()));
        }
        c.tickers = (!tickers.is_empty()).then_some(tickers);
        for m in self.market.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
            match m.split_once('=') {
                Some((t, b)) if !t.trim().is_empty() && !b.trim().is_empty() => {
                    if c.market_for.iter().any(|(x, _)| x.eq_ignore_ascii_case(t.trim())) {
                        return Err(Error::Usage(format!("--market gives two benchmarks for '{}'", t.trim())));
                    }
                    c.market_for.push((t.trim().to_string(), b.trim().to_string()));
                }
                Some(_) => return Err(Error::Usage(format!("--market '{m}' is incomplete; expected TICKER=BENCHMARK, e.g. 9988.HK=HSI"))),
                None if c.market_explicit => {
                    return Err(Error::Usage(format!(
                        "--market names two benchmarks for all tickers ('{}' and '{m}'); give one, and TICKER=BENCHMARK for the others",
                        c.market
                    )))
                }
                None => {
                    c.market = m.to_string();
                    c.market_explicit = true;
                }
            }
        }
        c.estimation = self.estimation;
        c.window = self.window;
        if !self.car.is_empty() {
            c.car_windows = self.car.clone();
        }
        c.returns = self.returns;
        c.events_file = self.events.clone().unwrap_or_else(|| self.data.join("events.csv"));
        c.out_dir = self.out.clone();
        c.format = self.format;
        c.name = self.name.clone();
        c.min_estimation = self.min_estimation;
        c.charts = !self.no_charts;
        if let Some(size) = self.chart_size {
            c.chart_size = size;
        }
        c.model = self.model;
        c.factor_files = self.factors.clone();
        c.group_by = self.group_by.clone();
        c.s2_denominator = self.s2_denominator;
        c.bmp_scale = self.bmp_scale;
        c.patell_car = self.patell_car;
        c.alternative = self.alternative;
        c.bootstrap = self.bootstrap;
        c.seed = self.seed;
        c.clean_estimation = self.clean_estimation;
        c.non_trading = self.non_trading;
        c.beta = self.beta;
        c.chain = self.chain;
        c.panel = self.panel.clone();
        c.crsp_negative = self.crsp_negative;
        c.drop_last_row = self.drop_last_row;
        if let Some(n) = self.dimson_lags {
            if c.beta != BetaKind::Dimson {
                return Err(Error::Usage(format!("--dimson-lags={n} applies only with --beta dimson")));
            }
            c.dimson_lags = n;
        }
        c.validate(!self.car.is_empty())?;
        Ok(c)
    }
}

/// `--chart-size WxH`: two whole numbers of pixels, each between 300 and 10000.
fn parse_chart_size(s: &str) -> std::result::Result<ChartSize, String> {
    let bad = || format!("'{s}' is not a chart size; expected WIDTHxHEIGHT in pixels, e.g. 1200x800 (each 300 to 10000)");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let (width, height): (u32, u32) = (w.trim().parse().map_err(|_| bad())?, h.trim().parse().map_err(|_| bad())?);
    if !(300..=10_000).contains(&width) || !(300..=10_000).contains(&height) {
        return Err(bad());
    }
    Ok(ChartSize::Exact { width, height })
}

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Some(Command::Simulate(a)) => run_simulate(&a),
        None => run_study_command(&cli.study),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "eventstudy: {e}");
            e.exit_code()
        }
    }
}

fn run_simulate(a: &SimulateArgs) -> Result<()> {
    if a.start >= a.end {
        return Err(Error::Usage(format!("--start {} must be before --end {}", a.start, a.end)));
    }
    let opts = SimOptions { seed: a.seed, start: a.start, end: a.end };
    let written = match a.tickers {
        Some(0) => return Err(Error::Usage("--tickers must be at least 1".into())),
        Some(n) => simulate::write_panel(&a.out, &opts, simulate::PanelSpec { tickers: n, events: a.events }, a.force)?,
        None => simulate::write_sample(&a.out, &opts, a.force)?,
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Wrote simulated sample data (seed {}), not real prices:", a.seed);
    for w in written {
        let _ = writeln!(out, "  {w}");
    }
    Ok(())
}

fn run_study_command(a: &StudyArgs) -> Result<()> {
    let cfg = a.to_config()?;
    let summary = run_study(&cfg)?;
    cfg.check_output_dir(&summary.study)?;
    let exporters = output::default_exporters(cfg.charts, cfg.chart_size);
    let dir = output::write_study(&summary, &cfg.out_dir, &exporters)?;
    let files: Vec<&str> = exporters.iter().flat_map(|e| e.files()).collect();
    let mut out = std::io::stdout().lock();
    let t = crate::timing::phase("stdout");
    // JSON on stdout is summary.json itself (hundreds of megabytes for a large study): copied
    // from the file, not serialised a second time.
    let text = match cfg.format {
        Format::Table => Some(output::table::render(&summary, Some((&dir.display().to_string(), &files)))),
        Format::Json => None,
        Format::Csv => Some(output::csv::car_csv(&summary)),
    };
    if cfg.format != Format::Table {
        let mut err = std::io::stderr().lock();
        if let Some(n) = &summary.data_notice {
            let _ = writeln!(err, "eventstudy: {n}");
        }
        for w in &summary.warnings {
            let _ = writeln!(err, "eventstudy: warning: {w}");
        }
    }
    match text {
        Some(text) => {
            let _ = out.write_all(text.as_bytes());
        }
        None => {
            let path = dir.join("summary.json");
            let mut file = std::fs::File::open(&path).map_err(|e| Error::Output(format!("{}: cannot read back: {e}", path.display())))?;
            let _ = std::io::copy(&mut file, &mut out);
        }
    }
    drop(t);
    Ok(())
}

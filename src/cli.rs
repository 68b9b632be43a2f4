//! The command line: one clap struct, turned into a [`StudyConfig`], run, and printed. Kept
//! thin so that everything it does is also reachable from the library.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::config::{Format, StudyConfig, StudyOptions};
use crate::engine::run_study;
use crate::error::{Error, Result};
use crate::output;
use crate::simulate::{self, SimOptions};

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
    pub study: StudyOptions,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the simulated sample price files (the bundled data/ was made with the defaults).
    Simulate(SimulateArgs),
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

/// The largest benchmark panel `simulate` writes: beyond it the files would not fit a disk.
const MAX_SIM_TICKERS: usize = 20_000;
const MAX_SIM_EVENTS: usize = 5_000_000;
const MAX_SIM_DAYS: i64 = 36_525;

fn parse_day(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("'{s}' is not a date; expected YYYY-MM-DD"))
}

/// Reports a command line clap refused and returns the exit code. A list option typed with a
/// space after its comma (`--ticker BABA, AAPL`) reads the rest as a subcommand; the message
/// then shows the list as it should be typed.
pub fn parse_error(e: clap::Error, args: &[std::ffi::OsString]) -> i32 {
    let words: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let split = words.windows(3).find(|w| w[0].starts_with("--") && w[1].ends_with(',') && !w[2].starts_with('-'));
    let help = matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion);
    if let (Some(w), false) = (split, help) {
        let joined = format!("{}{}", w[1], w[2]);
        let _ = writeln!(
            std::io::stderr(),
            "eventstudy: usage error: '{} {} {}' has a space after the comma, so '{}' is read as a separate argument; write {} {joined} (no spaces in a list)",
            w[0],
            w[1],
            w[2],
            w[2],
            w[0]
        );
        return 2;
    }
    if help {
        // --help and --version go to stdout: a failed write is an error there too.
        let mut out = std::io::stdout().lock();
        return match stdout_result(write!(out, "{}", e.render().ansi()).and_then(|()| out.flush())) {
            Ok(()) => 0,
            Err(err) => {
                let _ = writeln!(std::io::stderr(), "eventstudy: {err}");
                err.exit_code()
            }
        };
    }
    let _ = e.print();
    e.exit_code()
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
    if (a.end - a.start).num_days() > MAX_SIM_DAYS {
        return Err(Error::Usage(format!(
            "--start {} to --end {} spans more than 100 years; choose a shorter range",
            a.start, a.end
        )));
    }
    if a.tickers.is_some_and(|n| n > MAX_SIM_TICKERS) || a.events > MAX_SIM_EVENTS {
        return Err(Error::Usage(format!(
            "simulate writes at most {MAX_SIM_TICKERS} tickers and {MAX_SIM_EVENTS} events (asked: {} tickers, {} events)",
            a.tickers.unwrap_or(0),
            a.events
        )));
    }
    let opts = SimOptions { seed: a.seed, start: a.start, end: a.end };
    let written = match a.tickers {
        Some(0) => return Err(Error::Usage("--tickers must be at least 1".into())),
        Some(n) => simulate::write_panel(&a.out, &opts, simulate::PanelSpec { tickers: n, events: a.events }, a.force)?,
        None => simulate::write_sample(&a.out, &opts, a.force)?,
    };
    let mut out = std::io::stdout().lock();
    let mut text = format!("Wrote simulated sample data (seed {}), not real prices:\n", a.seed);
    for w in written {
        text.push_str(&format!("  {w}\n"));
    }
    stdout_result(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

fn run_study_command(a: &StudyOptions) -> Result<()> {
    let total = crate::timing::phase("total");
    let cfg = StudyConfig::new(a.clone())?;
    let summary = run_study(&cfg)?;
    if let (Some(r), true) = (cfg.output.price_range, cfg.charts()) {
        // A range that shows none of the prices is a mistake, not a chart of the whole data.
        let shows = |p: &crate::summary::PlotPrices| {
            p.dates.iter().any(|d| r.from.is_none_or(|f| *d >= f) && r.to.is_none_or(|t| *d <= t))
        };
        if !summary.plot_prices.is_empty() && !summary.plot_prices.iter().any(shows) {
            let (a, b) =
                (summary.plot_prices[0].dates[0], summary.plot_prices[0].dates[summary.plot_prices[0].dates.len() - 1]);
            return Err(Error::Usage(format!(
                "--price-range holds no price of the study (the prices run from {a} to {b}); choose dates inside them"
            )));
        }
    }
    let inputs: Vec<PathBuf> = summary.inputs.iter().map(|i| PathBuf::from(&i.path)).collect();
    cfg.check_output_dir(&summary.study, &inputs)?;
    let exporters =
        output::default_exporters(cfg.charts(), cfg.chart_size(), cfg.output.price_range, cfg.output.parquet);
    let t = crate::timing::phase("outputs (side by side)");
    let written = output::write_study(&summary, cfg.out_dir(), &exporters)?;
    drop(t);
    let dir = &written.dir;
    let files: Vec<&str> = exporters.iter().flat_map(|e| e.files()).collect();
    let t = crate::timing::phase("stdout");
    // JSON on stdout is summary.json itself (hundreds of megabytes for a large study): copied
    // from this run's file, opened before it was published, not serialised a second time.
    let text = match cfg.output.format {
        Format::Table => Some(output::table::render(&summary, Some((&dir.display().to_string(), &files)))),
        Format::Json => None,
        Format::Csv => Some(output::csv::car_csv(&summary)),
    };
    if cfg.output.format != Format::Table {
        let mut err = std::io::stderr().lock();
        if let Some(n) = &summary.data_notice {
            let _ = writeln!(err, "eventstudy: {n}");
        }
        for w in &summary.warnings {
            let _ = writeln!(err, "eventstudy: warning: {w}");
        }
    }
    let mut out = std::io::stdout().lock();
    let written_out = match (text, written.summary_json) {
        (Some(text), _) => out.write_all(text.as_bytes()),
        (None, Some(mut file)) => std::io::copy(&mut file, &mut out).map(|_| ()),
        (None, None) => Err(std::io::Error::other("summary.json was not written")),
    };
    drop(t);
    let result = stdout_result(written_out.and_then(|()| out.flush()));
    // The process ends here: its memory goes back to the system whole, without freeing the
    // summary's millions of allocations one by one first (0.1 s at 20,000 events).
    std::mem::forget(summary);
    drop(total);
    result
}

/// A write to stdout that failed: a closed pipe (`| head`) ends quietly; anything else (a full
/// disk behind a redirection) is an output error.
fn stdout_result(r: std::io::Result<()>) -> Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Output(format!("cannot write to standard output: {e}"))),
        Ok(()) => Ok(()),
    }
}

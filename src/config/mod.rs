//! The options of one study, validated: built once from the command line (or by a test or a
//! library user) and read by the engine and every exporter. The options themselves are defined
//! once, in [`options`]; this module resolves what they imply (tickers, benchmarks, the CAR
//! windows that fit) and checks them together.

pub mod options;

use std::path::PathBuf;

use crate::error::{Error, Result};
pub use crate::load::validate_ticker;
pub use crate::session::NonTrading;
pub use crate::stats::ols::S2Denominator;
pub use crate::stats::tdist::Alternative;
pub use options::{
    option_name, BetaKind, BmpScale, ChartSize, DateOrder, DateRange, Format, GroupBy, InputOptions, MeasureKind,
    MethodOptions, ModelKind, OutputOptions, PatellCar, ReturnKind, StudyOptions, TestOptions, VolumeModel, Window,
    MAX_WINDOW_DAYS,
};

/// The most bootstrap resamples (`--bootstrap`): beyond this the p-value's third digit no
/// longer moves, and a study of many events would run for hours.
pub const MAX_BOOTSTRAP: usize = 100_000;
/// The longest `--name`, in bytes (a folder name, with room for the staging suffix).
pub const MAX_NAME_BYTES: usize = 120;

/// The default CAR windows (SPEC §4): those that fit inside the event window are used when no
/// `--car` is given.
pub const DEFAULT_CAR_WINDOWS: &[Window] = &[(0, 0), (-1, 1), (0, 1), (-5, 5), (-10, 10)];
/// The number of lags (and leads) of the Dimson beta when `--dimson-lags` is not given.
pub const DEFAULT_DIMSON_LAGS: usize = 1;

/// Every option of a study, and what they resolve to.
#[derive(Debug, Clone)]
pub struct StudyConfig {
    pub input: InputOptions,
    pub method: MethodOptions,
    pub tests: TestOptions,
    pub output: OutputOptions,
    /// Notes of the caller about the configuration, shown in outputs after those that
    /// [`StudyConfig::validate`] adds.
    pub notes: Vec<String>,
    /// What the options resolve to: set by [`StudyConfig::validate`], read through the
    /// accessors below, so that editing an option and validating again is always consistent.
    resolved: Resolved,
}

/// What [`StudyConfig::validate`] derives from the options.
#[derive(Debug, Clone, Default)]
struct Resolved {
    /// From `--ticker`: `None` means every ticker named in the events file.
    tickers: Option<Vec<String>>,
    /// The benchmark of every ticker without one of its own (`SPY`, or a single `--market`).
    market: String,
    /// Set when `--market X` was typed: X then applies to all tickers, over `tickers.csv`.
    market_explicit: bool,
    /// Per-ticker benchmarks from `--market TICKER=BENCHMARK`.
    market_for: Vec<(String, String)>,
    /// Notes about the configuration (e.g. default CAR windows left out).
    notes: Vec<String>,
    /// The CAR windows asked for (empty: the defaults) and what they resolved to, so that
    /// validating again resolves the same request.
    car_request: Option<(Vec<Window>, Vec<Window>)>,
}

impl StudyConfig {
    /// The validated configuration of `options`.
    pub fn new(options: StudyOptions) -> Result<StudyConfig> {
        let mut c = StudyConfig::unvalidated(options);
        c.validate()?;
        Ok(c)
    }

    fn unvalidated(o: StudyOptions) -> StudyConfig {
        StudyConfig {
            input: o.input,
            method: o.method,
            tests: o.tests,
            output: o.output,
            notes: vec![],
            resolved: Resolved { market: "SPY".into(), ..Default::default() },
        }
    }

    /// A configuration with every default, reading `data_dir` and its `events.csv`; change
    /// its options, then call [`StudyConfig::validate`].
    pub fn with_defaults(data_dir: impl Into<PathBuf>) -> StudyConfig {
        let mut o = StudyOptions::default();
        o.input.data = data_dir.into();
        StudyConfig::unvalidated(o)
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.input.data
    }

    /// `--events`, or `<data>/events.csv`.
    pub fn events_file(&self) -> PathBuf {
        self.input.events.clone().unwrap_or_else(|| self.input.data.join("events.csv"))
    }

    /// `--claims`, or `<data>/claims.csv` when it exists.
    pub fn claims_file(&self) -> Option<PathBuf> {
        let default = self.input.data.join("claims.csv");
        self.input.claims.clone().or_else(|| default.is_file().then_some(default))
    }

    /// `<data>/tickers.csv` (exchange, time zone, close, benchmark, currency), when present.
    pub fn tickers_file(&self) -> PathBuf {
        self.input.data.join("tickers.csv")
    }

    pub fn out_dir(&self) -> &std::path::Path {
        &self.output.out
    }

    pub fn charts(&self) -> bool {
        !self.output.no_charts
    }

    pub fn chart_size(&self) -> ChartSize {
        self.output.chart_size.unwrap_or_default()
    }

    /// Lags and leads of the Dimson beta.
    pub fn dimson_lags(&self) -> usize {
        self.method.dimson_lags.unwrap_or(DEFAULT_DIMSON_LAGS)
    }

    /// The normal-return model in force: `--model`, or the one `--volume-model` names for a
    /// volume study (the mean model is the constant-mean model on log volume).
    pub fn model(&self) -> ModelKind {
        match (self.method.measure, self.method.volume_model) {
            (MeasureKind::Returns, _) => self.method.model,
            (MeasureKind::Volume, VolumeModel::Mean) => ModelKind::ConstantMean,
            (MeasureKind::Volume, VolumeModel::Market) => ModelKind::Market,
        }
    }

    /// The last day of the variance dummy of `--garch-dummies` (default 5).
    pub fn vol_days(&self) -> i32 {
        self.method.vol_days.unwrap_or(5)
    }

    /// The method as in force, for the record of `summary.json`: the model of [`Self::model`]
    /// and the Dimson lags that apply.
    pub fn method_in_force(&self) -> MethodOptions {
        let mut m = self.method.clone();
        m.model = self.model();
        m.dimson_lags = (m.beta == BetaKind::Dimson).then(|| self.dimson_lags());
        m.vol_days = m.garch_dummies.then(|| self.vol_days());
        m
    }

    /// The tickers asked for with `--ticker`; `None` means every ticker named in the events
    /// file.
    pub fn tickers(&self) -> Option<&[String]> {
        self.resolved.tickers.as_deref()
    }

    /// The benchmark of every ticker without one of its own (`SPY`, or a single `--market`).
    pub fn market(&self) -> &str {
        &self.resolved.market
    }

    /// Whether `--market X` was typed: X then applies to all tickers, over `tickers.csv`.
    pub fn market_explicit(&self) -> bool {
        self.resolved.market_explicit
    }

    /// Per-ticker benchmarks from `--market TICKER=BENCHMARK`.
    pub fn market_for(&self) -> &[(String, String)] {
        &self.resolved.market_for
    }

    /// The notes about the configuration: those of validation, then the caller's.
    pub fn all_notes(&self) -> Vec<String> {
        self.resolved.notes.iter().chain(&self.notes).cloned().collect()
    }

    /// Resolves tickers and benchmarks and checks windows and names. The CAR windows are
    /// explicit when any was given: one outside the event window is then an error, while
    /// default ones that do not fit are left out with a note.
    pub fn validate(&mut self) -> Result<()> {
        self.resolved.notes.clear();
        self.resolve_tickers()?;
        self.resolve_market()?;
        self.check_windows()?;
        self.resolve_car_windows()?;
        self.check_method()?;
        self.check_paths()
    }

    fn resolve_tickers(&mut self) -> Result<()> {
        // One ticker typed twice, in any case, is one ticker (`BABA,baba` is BABA once).
        let mut tickers: Vec<String> = Vec::new();
        for t in self.input.ticker.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if !tickers.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                tickers.push(t.to_string());
            }
        }
        if !self.input.ticker.is_empty() && tickers.is_empty() {
            return Err(Error::Usage("--ticker was given without a ticker name".into()));
        }
        self.resolved.tickers = (!tickers.is_empty()).then_some(tickers);
        Ok(())
    }

    fn resolve_market(&mut self) -> Result<()> {
        let (mut market, mut explicit, mut market_for) = ("SPY".to_string(), false, Vec::<(String, String)>::new());
        for m in self.input.market.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
            match m.split_once('=') {
                Some((t, b)) if !t.trim().is_empty() && !b.trim().is_empty() => {
                    if market_for.iter().any(|(x, _)| x.eq_ignore_ascii_case(t.trim())) {
                        return Err(Error::Usage(format!("--market gives two benchmarks for '{}'", t.trim())));
                    }
                    market_for.push((t.trim().to_string(), b.trim().to_string()));
                }
                Some(_) => {
                    return Err(Error::Usage(format!(
                        "--market '{m}' is incomplete; expected TICKER=BENCHMARK, e.g. 9988.HK=HSI"
                    )))
                }
                None if explicit => {
                    return Err(Error::Usage(format!(
                        "--market names two benchmarks for all tickers ('{market}' and '{m}'); give one, and TICKER=BENCHMARK for the others"
                    )))
                }
                None => {
                    market = m.to_string();
                    explicit = true;
                }
            }
        }
        let per_ticker = market_for.iter().flat_map(|(t, b)| [t, b]);
        for t in self.resolved.tickers.iter().flatten().chain(std::iter::once(&market)).chain(per_ticker) {
            validate_ticker(t)?;
        }
        (self.resolved.market, self.resolved.market_explicit, self.resolved.market_for) =
            (market, explicit, market_for);
        Ok(())
    }

    fn check_windows(&self) -> Result<()> {
        let (e0, e1) = self.method.estimation;
        let (w0, w1) = self.method.window;
        if e0 > e1 {
            return Err(Error::Usage(format!(
                "--estimation={e0},{e1} is reversed; expected A,B with A <= B, e.g. -250,-11"
            )));
        }
        if w0 > w1 {
            return Err(Error::Usage(format!("--window={w0},{w1} is reversed; expected A,B with A <= B, e.g. -10,10")));
        }
        if e1 >= w0 {
            return Err(Error::Usage(format!(
                "--estimation={e0},{e1} overlaps the event window --window={w0},{w1}; the estimation window must end before day {w0}"
            )));
        }
        let limit = i64::from(MAX_WINDOW_DAYS);
        for (name, (a, b)) in [("estimation", (e0, e1)), ("window", (w0, w1))] {
            if i64::from(a).abs() > limit || i64::from(b).abs() > limit {
                return Err(Error::Usage(format!(
                    "--{name}={a},{b} reaches beyond {MAX_WINDOW_DAYS} trading days from day 0; expected A,B within -{MAX_WINDOW_DAYS},{MAX_WINDOW_DAYS}"
                )));
            }
        }
        if i64::from(e1) - i64::from(e0) + 1 < 3 {
            return Err(Error::Usage(format!("--estimation={e0},{e1} has fewer than 3 days")));
        }
        if !(3..=MAX_WINDOW_DAYS as usize).contains(&self.method.min_estimation) {
            return Err(Error::Usage(format!(
                "--min-estimation={} must be between 3 and {MAX_WINDOW_DAYS}",
                self.method.min_estimation
            )));
        }
        if self.tests.bootstrap > MAX_BOOTSTRAP {
            return Err(Error::Usage(format!(
                "--bootstrap={} is more resamples than useful; expected 0 (off) to {MAX_BOOTSTRAP} (default 999)",
                self.tests.bootstrap
            )));
        }
        Ok(())
    }

    fn resolve_car_windows(&mut self) -> Result<()> {
        let (w0, w1) = self.method.window;
        let request = match &self.resolved.car_request {
            Some((asked, resolved)) if *resolved == self.method.car_windows => asked.clone(),
            _ => self.method.car_windows.clone(),
        };
        let mut notes = Vec::new();
        let explicit = !request.is_empty();
        let asked = if explicit { request.clone() } else { DEFAULT_CAR_WINDOWS.to_vec() };
        let mut kept = Vec::new();
        for (a, b) in asked {
            if a > b {
                return Err(Error::Usage(format!("--car={a},{b} is reversed; expected A,B with A <= B, e.g. -1,1")));
            }
            if a < w0 || b > w1 {
                if explicit {
                    return Err(Error::Usage(format!(
                        "--car={a},{b} lies outside the event window --window={w0},{w1}; choose a CAR window inside it"
                    )));
                }
                notes.push(format!(
                    "default CAR window [{a},{b}] left out: it does not fit inside the event window [{w0},{w1}]"
                ));
                continue;
            }
            if !kept.contains(&(a, b)) {
                kept.push((a, b));
            }
        }
        if kept.is_empty() {
            kept.push((w0, w1));
            notes.push(format!("no default CAR window fits the event window; using [{w0},{w1}]"));
        }
        self.resolved.car_request = Some((request, kept.clone()));
        self.resolved.notes.extend(notes);
        self.method.car_windows = kept;
        Ok(())
    }

    fn check_method(&self) -> Result<()> {
        let m = &self.method;
        let (w0, w1) = m.window;
        if m.beta != BetaKind::Ols && m.model != ModelKind::Market {
            return Err(Error::Usage(format!(
                "--beta {} adjusts the market model's beta; it cannot be combined with --model {} (use --model market)",
                option_name(m.beta),
                option_name(m.model)
            )));
        }
        if m.chain && !(w0 <= 0 && w1 >= 1) {
            return Err(Error::Usage(format!(
                "--chain needs an event window around day 0 (A <= 0 < B); --window={w0},{w1} has no post-event part to chain"
            )));
        }
        let volume_model_given = m.model != ModelKind::Market && m.model != self.model();
        if m.measure == MeasureKind::Volume && (volume_model_given || m.beta != BetaKind::Ols) {
            return Err(Error::Usage(format!(
                "--measure volume takes its model from --volume-model mean|market; --model {} --beta {} do not apply",
                option_name(m.model),
                option_name(m.beta)
            )));
        }
        if m.model == ModelKind::Garch && self.tests.s2_denominator != S2Denominator::MK1 {
            return Err(Error::Usage(format!(
                "--s2-denominator {} sets the OLS residual variance; --model garch estimates each day's variance by maximum likelihood (use the default or another model)",
                option_name(self.tests.s2_denominator)
            )));
        }
        if m.garch_dummies {
            if m.measure != MeasureKind::Returns || !matches!(m.model, ModelKind::Market | ModelKind::Garch) {
                return Err(Error::Usage(format!(
                    "--garch-dummies fits a market model with GARCH errors to returns; it goes with --model market or garch (not --model {}{})",
                    option_name(m.model),
                    if m.measure == MeasureKind::Volume { " --measure volume" } else { "" }
                )));
            }
            if w0 > 0 {
                return Err(Error::Usage(format!(
                    "--garch-dummies puts its mean dummy on day 0, which --window={w0},{w1} does not contain; use a window from A <= 0"
                )));
            }
            if !(1..=w1).contains(&self.vol_days()) {
                return Err(Error::Usage(format!(
                    "--vol-days={} must be between 1 and the event window's last day {w1} (--window={w0},{w1}): the variance dummy covers days 0 to N, and a single day 0 shared with the mean dummy leaves the likelihood unbounded",
                    self.vol_days()
                )));
            }
        } else if let Some(n) = m.vol_days {
            return Err(Error::Usage(format!(
                "--vol-days={n} sets the variance dummy of --garch-dummies; add --garch-dummies"
            )));
        }
        match (m.beta, m.dimson_lags) {
            (BetaKind::Dimson, Some(n)) if !(1..=10).contains(&n) => {
                return Err(Error::Usage(format!("--dimson-lags={n} must be between 1 and 10")));
            }
            (BetaKind::Dimson, _) | (_, None) => {}
            (_, Some(n)) => return Err(Error::Usage(format!("--dimson-lags={n} applies only with --beta dimson"))),
        }
        Ok(())
    }

    fn check_paths(&self) -> Result<()> {
        if inside(&self.output.out, &self.input.data) {
            return Err(Error::Usage(format!(
                "--out {} is inside the data folder {}; outputs never go into the data folder: choose another --out",
                self.output.out.display(),
                self.input.data.display()
            )));
        }
        if let Some(n) = &self.output.name {
            if n.trim().is_empty()
                || n.trim() != n
                || n.contains(['/', '\\'])
                || n == "."
                || n == ".."
                || n.starts_with('.')
            {
                return Err(Error::Usage(format!("--name '{n}' is not a plain folder name")));
            }
            if n.chars().any(char::is_control) {
                return Err(Error::Usage("--name may not hold control characters".into()));
            }
            if n.len() > MAX_NAME_BYTES {
                return Err(Error::Usage(format!(
                    "--name is {} bytes long; expected a folder name of at most {MAX_NAME_BYTES}",
                    n.len()
                )));
            }
        }
        Ok(())
    }

    /// Refuses an output folder `<out>/<study>` that is, lies inside, or contains the data
    /// folder or any input read (`files`: events, claims, panel, factors, price files, each
    /// resolved through symbolic links): replacing the folder would delete the user's inputs.
    pub fn check_output_dir(&self, study: &str, files: &[PathBuf]) -> Result<()> {
        let dir = self.output.out.join(study);
        let events = self.events_file();
        let claims = self.claims_file();
        let mut inputs = vec![
            ("data folder", Some(self.input.data.clone())),
            ("events file", Some(events)),
            ("panel file", self.input.panel.clone()),
            ("claims file", claims),
        ];
        inputs.extend(self.input.factors.iter().map(|f| ("factor file", Some(f.clone()))));
        inputs.extend(files.iter().map(|f| ("input file", Some(f.clone()))));
        // The output folder resolved once (a study of 3,000 files resolved it 9,000 times).
        let out = resolve(&dir);
        // The inputs resolved on all cores (3,000 files: 25 ms of system calls on one), the
        // first overlap in their order reported.
        use rayon::prelude::*;
        let overlap = inputs.par_iter().filter_map(|(w, p)| p.as_ref().map(|p| (w, p))).find_first(|(_, p)| {
            let at = resolve(p);
            // Where a symbolic link points: its canonical path, which resolves to itself.
            let real = p.canonicalize().unwrap_or_else(|_| at.clone());
            out.starts_with(&at) || at.starts_with(&out) || real.starts_with(&out)
        });
        match overlap {
            Some((what, p)) => Err(Error::Usage(format!(
                "the output folder {} would overlap the {what} {}; choose another --out or --name",
                dir.display(),
                p.display()
            ))),
            None => Ok(()),
        }
    }

    /// A short hash of everything that makes the study what it is: the tickers and their
    /// benchmarks, the inputs (their paths as given, `./` and `a/..` folded) and how they are
    /// read, the method and the tests. Two runs with the same hash are the same study (a rerun
    /// may replace its folder); the output options (format, charts, folder) do not enter. The
    /// paths are not made absolute, so a study run in another folder keeps its name.
    pub fn study_hash(&self, tickers: &[String], benchmarks: &[(String, String)]) -> String {
        let abs = |p: &std::path::Path| -> String {
            let mut norm = PathBuf::new();
            for c in p.components() {
                match c {
                    std::path::Component::CurDir => {}
                    std::path::Component::ParentDir if norm.file_name().is_some() => {
                        norm.pop();
                    }
                    other => norm.push(other),
                }
            }
            norm.display().to_string()
        };
        let i = &self.input;
        let identity = serde_json::json!({
            "tickers": tickers,
            "benchmarks": benchmarks,
            "data": abs(&i.data),
            "events": abs(&self.events_file()),
            "claims": self.claims_file().map(|p| abs(&p)),
            "panel": i.panel.as_deref().map(abs),
            "factors": i.factors.iter().map(|p| abs(p)).collect::<Vec<_>>(),
            "crsp_negative": i.crsp_negative,
            "drop_last_row": i.drop_last_row,
            "date_order": i.date_order,
            "kind": i.kind.iter().map(|k| k.to_ascii_lowercase()).collect::<Vec<_>>(),
            "method": self.method_in_force(),
            "tests": self.tests,
            "group_by": self.tests.group_by,
        });
        crate::load::sha256_hex(identity.to_string().as_bytes())[..8].to_string()
    }

    /// The study's folder name under `--out`: `--name`, or derived from tickers and options.
    /// `benchmarks` are the distinct benchmarks in use (one unless tickers have their own);
    /// `uses_market` tells whether the model uses them.
    pub fn study_name(&self, tickers: &[String], benchmarks: &[String], uses_market: bool) -> String {
        if let Some(n) = &self.output.name {
            return n.clone();
        }
        let mut who: Vec<String> = tickers.iter().map(|t| clean_for_name(t)).collect();
        if self.resolved.tickers.is_none() {
            who = vec!["all".into()];
        } else if who.len() > 4 {
            let n = who.len();
            who.truncate(3);
            who.push(format!("and{}more", n - 3));
        }
        let m = &self.method;
        let mut name = if uses_market {
            let against: Vec<String> = if benchmarks.is_empty() {
                vec![clean_for_name(&self.resolved.market)]
            } else {
                benchmarks.iter().map(|b| clean_for_name(b)).collect()
            };
            format!("{}_vs_{}", who.join("-"), against.join("-"))
        } else {
            who.join("-")
        };
        if m.measure == MeasureKind::Volume {
            name.push_str("_volume");
        } else if m.model != ModelKind::Market {
            name.push('_');
            name.push_str(&option_name(m.model));
        }
        if m.beta != BetaKind::Ols {
            name.push('_');
            name.push_str(match m.beta {
                BetaKind::Dimson => "dimson",
                _ => "sw",
            });
        }
        if m.returns == ReturnKind::Log {
            name.push_str("_log");
        }
        let defaults = StudyOptions::default().method;
        if m.estimation != defaults.estimation {
            name.push_str(&format!("_est{}_{}", m.estimation.0, m.estimation.1));
        }
        if m.window != defaults.window {
            name.push_str(&format!("_win{}_{}", m.window.0, m.window.1));
        }
        name
    }
}

/// Whether `path` is `dir` or lies under it (compared as absolute, normalised paths; the
/// nearest existing ancestor is resolved through symbolic links: [`resolve`]).
fn inside(path: &std::path::Path, dir: &std::path::Path) -> bool {
    resolve(path).starts_with(resolve(dir))
}

/// `p` made absolute with `.` and `..` folded, its longest existing prefix resolved through
/// symbolic links and the rest kept as written.
fn resolve(p: &std::path::Path) -> PathBuf {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    let mut norm = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                norm.pop();
            }
            std::path::Component::CurDir => {}
            other => norm.push(other),
        }
    }
    // Resolve the longest existing prefix (symbolic links), keep the rest as written.
    let mut existing = norm.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for n in rest.iter().rev() {
        out.push(n);
    }
    out
}

fn clean_for_name(t: &str) -> String {
    t.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_car_windows_that_do_not_fit_are_dropped_with_a_note() {
        let mut c = StudyConfig::with_defaults("data");
        c.method.window = (0, 4);
        c.method.estimation = (-240, -1);
        c.validate().unwrap();
        assert_eq!(c.method.car_windows, vec![(0, 0), (0, 1)]);
        assert_eq!(c.all_notes().len(), 3);
        // Validating again resolves the same windows and notes.
        c.validate().unwrap();
        assert_eq!((c.method.car_windows.len(), c.all_notes().len()), (2, 3));
    }

    #[test]
    fn explicit_car_window_outside_event_window_is_a_usage_error() {
        let mut c = StudyConfig::with_defaults("data");
        c.method.car_windows = vec![(-20, 20)];
        assert!(matches!(c.validate(), Err(Error::Usage(_))));
    }

    #[test]
    fn overlapping_estimation_and_event_windows_are_refused() {
        let mut c = StudyConfig::with_defaults("data");
        c.method.estimation = (-100, 0);
        assert!(matches!(c.validate(), Err(Error::Usage(_))));
    }

    #[test]
    fn defaults_come_from_the_option_definitions() {
        let c = StudyConfig::with_defaults("d");
        assert_eq!((c.method.estimation, c.method.window, c.method.min_estimation), ((-250, -11), (-10, 10), 100));
        assert_eq!((c.tests.bootstrap, c.tests.seed, c.output.out.clone()), (999, 42, PathBuf::from("notebooks-out")));
        assert_eq!(c.events_file(), PathBuf::from("d/events.csv"));
    }

    /// Regression: a failed validation emptied explicit CAR windows, and the next one used the
    /// defaults instead.
    #[test]
    fn a_failed_validation_keeps_the_explicit_car_windows() {
        let mut c = StudyConfig::with_defaults("data");
        c.method.car_windows = vec![(-20, 20)];
        assert!(c.validate().is_err());
        c.method.window = (-20, 20);
        c.method.estimation = (-250, -21);
        c.validate().unwrap();
        assert_eq!(c.method.car_windows, vec![(-20, 20)]);
    }

    /// Regression: validating with the Dimson beta wrote its default lags into the options,
    /// so switching back to OLS failed with "--dimson-lags=1 applies only with --beta dimson".
    #[test]
    fn the_beta_can_be_switched_back_after_a_dimson_validation() {
        let mut c = StudyConfig::with_defaults("data");
        c.method.beta = BetaKind::Dimson;
        c.validate().unwrap();
        assert_eq!((c.dimson_lags(), c.method_in_force().dimson_lags), (1, Some(1)));
        c.method.beta = BetaKind::Ols;
        c.validate().unwrap();
        assert_eq!(c.method_in_force().dimson_lags, None);
    }

    #[test]
    fn tickers_and_benchmarks_resolve_from_the_options_and_caller_notes_are_kept() {
        let mut c = StudyConfig::with_defaults("data");
        c.input.ticker = vec![" BABA ".into(), "AAPL".into()];
        c.input.market = vec!["QQQ".into(), "AAPL=SPY".into()];
        c.notes.push("my note".into());
        c.method.window = (0, 4);
        c.method.estimation = (-240, -1);
        c.validate().unwrap();
        c.validate().unwrap();
        assert_eq!(c.tickers(), Some(&["BABA".to_string(), "AAPL".to_string()][..]));
        assert_eq!((c.market(), c.market_explicit()), ("QQQ", true));
        assert_eq!(c.market_for(), &[("AAPL".to_string(), "SPY".to_string())][..]);
        let notes = c.all_notes();
        assert_eq!((notes.len(), notes[notes.len() - 1].as_str()), (4, "my note"));
    }

    #[test]
    fn dimson_lags_without_the_dimson_beta_are_refused() {
        let mut c = StudyConfig::with_defaults("data");
        c.method.dimson_lags = Some(2);
        assert!(matches!(c.validate(), Err(Error::Usage(m)) if m.contains("only with --beta dimson")));
        c.method.beta = BetaKind::Dimson;
        c.validate().unwrap();
        assert_eq!(c.dimson_lags(), 2);
    }

    #[test]
    fn tickers_with_paths_are_refused() {
        assert!(validate_ticker("../etc/passwd").is_err());
        assert!(validate_ticker("a/b").is_err());
        assert!(validate_ticker("9988.HK").is_ok());
        assert!(validate_ticker("^GSPC").is_ok());
    }
}

//! Factor models: the excess return R_t − RF_t regressed by OLS on Ken French factors:
//! Fama–French 3 (Mkt−RF, SMB, HML; Fama and French 1993), Carhart 4 (plus momentum; Carhart
//! 1997) and Fama–French 5 (plus RMW, CMA; Fama and French 2015).
//!
//! A factor row is used only when the factor file has both dates of the stock's return and no
//! date between them, so a two-day stock return never meets a one-day factor return.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::linear::LinearFit;
use super::{Design, FittedModel, NormalModel};
use crate::codes::Reason;
use crate::config::ModelKind;
use crate::load::FactorTable;
use crate::measure::Series;
use crate::stats::ols::{FitError, S2Denominator};

pub struct FactorModel {
    kind: ModelKind,
    factors: &'static [&'static str],
}

impl FactorModel {
    /// The factor model of `kind` (ff3, carhart or ff5).
    pub fn new(kind: ModelKind) -> FactorModel {
        let factors: &'static [&'static str] = match kind {
            ModelKind::Ff3 => &["mkt_rf", "smb", "hml"],
            ModelKind::Carhart => &["mkt_rf", "smb", "hml", "mom"],
            ModelKind::Ff5 => &["mkt_rf", "smb", "hml", "rmw", "cma"],
            other => panic!("{other:?} is not a factor model"),
        };
        FactorModel { kind, factors }
    }
}

impl NormalModel for FactorModel {
    fn kind(&self) -> ModelKind {
        self.kind
    }
    fn uses_market(&self) -> bool {
        false
    }
    fn factors(&self) -> &'static [&'static str] {
        self.factors
    }
    fn design(&self, s: Series, factors: Option<&FactorTable>) -> Design {
        let f = factors.expect("factor models have factors");
        let names = self.factors.to_vec();
        let k = names.len();
        let cols: Vec<&[f64]> = names.iter().map(|c| f.get(c).expect("checked when loaded")).collect();
        let rf = f.get("rf").expect("checked when loaded");
        let pos: HashMap<NaiveDate, usize> = f.dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let n = s.dates.len();
        let (mut y, mut x, mut avail) = (vec![f64::NAN; n], vec![0.0; n * k], vec![false; n]);
        for i in 1..n {
            if let (Some(&a), Some(&b)) = (pos.get(&s.dates[i - 1]), pos.get(&s.dates[i])) {
                if b == a + 1 {
                    y[i] = s.value[i] - rf[b];
                    for (c, col) in cols.iter().enumerate() {
                        x[i * k + c] = col[b];
                    }
                    avail[i] = y[i].is_finite();
                }
            }
        }
        Design { dates: s.dates, value: s.value, market: s.market, y, x, k, avail, names }
    }
    fn regressors(&self) -> usize {
        self.factors.len()
    }
    fn fit(&self, d: &Design, rows: &[usize], den: S2Denominator) -> Result<Box<dyn FittedModel>, FitError> {
        LinearFit::ols(d, rows, den)
    }
    fn missing_input(&self) -> Option<(Reason, String)> {
        Some((Reason::FactorsMissing, "the factor file has no return matching".to_string()))
    }
    fn unusable_day(&self) -> &'static str {
        "factor data"
    }
}

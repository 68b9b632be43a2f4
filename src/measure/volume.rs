//! Trading volume: the log volume v_t = ln(1 + V_t) of the stock's own `Volume` column, on
//! the same rows as the returns study (row 0, which has no return, is left out too), so that
//! estimation and event windows are the same days. The benchmark's log volume is joined on the
//! same date. Zero volume is allowed (v = 0); a row without a readable, non-negative volume
//! has no value.
//!
//! With the mean model (`--volume-model mean`, as EventStudy 0.50 for R) the abnormal log
//! volume is AV_t = v_t − mean(v over the estimation days), with s² = SSR/(M − 1) and
//! Var(CAV) = s²·(L + L²/M), t(M − 1): the constant-mean model on v. With the market model
//! (`--volume-model market`, EventStudyTools AVC) v_t is regressed on the benchmark's v_t.
//!
//! References: Ajinkya and Jain (1989); Campbell and Wasley (1996), RQFA 6(3);
//! ../shared/METHODS-research.md §2.

use super::{benchmark_rows, Measure, Series};
use crate::codes::Reason;
use crate::load::PriceSeries;

pub struct Volume;

/// ln(1 + V) of each row, NaN where there is no usable volume (and on row 0).
fn log_volume(v: &[Option<f64>]) -> Vec<f64> {
    v.iter()
        .enumerate()
        .map(|(i, v)| match v {
            Some(v) if i > 0 && v.is_finite() && *v >= 0.0 => v.ln_1p(),
            _ => f64::NAN,
        })
        .collect()
}

impl Measure for Volume {
    fn series(&self, stock: &PriceSeries, market: Option<&PriceSeries>) -> Result<Series, (Reason, String)> {
        let Some(v) = &stock.volumes else {
            return Err((Reason::NoVolume, format!("{} has no volume column", stock.path.display())));
        };
        let value = log_volume(v);
        let mut mv = vec![None; value.len()];
        if let Some((m, mvol)) = market.and_then(|m| m.volumes.as_ref().map(|v| (m, log_volume(v)))) {
            for (i, j) in benchmark_rows(&stock.dates, &m.dates).into_iter().enumerate().skip(1) {
                mv[i] = j.map(|j| mvol[j]).filter(|v| v.is_finite());
            }
        }
        Ok(Series { dates: stock.dates.clone(), value, market: mv })
    }

    fn buy_and_hold(&self, _: &[f64], _: &[f64]) -> f64 {
        f64::NAN
    }

    fn raw(&self, _: &[f64]) -> f64 {
        f64::NAN
    }

    fn missing_value(&self) -> (Reason, &'static str) {
        (Reason::VolumeMissing, "no volume")
    }

    fn benchmark_lacks(&self, benchmark: &str) -> String {
        format!("the benchmark {benchmark} has no volume for")
    }

    fn noun(&self) -> &'static str {
        "log volume"
    }

    fn convention(&self) -> String {
        "log volume ln(1 + V) of the Volume column on the stock's own rows; the benchmark's on the same date".into()
    }

    fn buy_and_hold_convention(&self) -> String {
        "not defined for volume (null)".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_volume_keeps_zero_and_drops_what_is_not_a_volume() {
        let v = log_volume(&[Some(5.0), Some(0.0), None, Some(-1.0), Some(f64::NAN), Some(99.0)]);
        assert!(v[0].is_nan(), "row 0 has no return, so no value either");
        assert_eq!(v[1], 0.0);
        assert!(v[2].is_nan() && v[3].is_nan() && v[4].is_nan());
        assert!((v[5] - 100f64.ln()).abs() < 1e-15);
    }
}

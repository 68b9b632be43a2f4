//! Daily returns, simple (P_t/P_{t−1} − 1) or log (ln P_t/P_{t−1}), trade-to-trade on the
//! stock's own rows. Prices are joined on date first, then returns computed, so that a day
//! missing from one file never pairs a two-day stock return with a one-day market return
//! (SPEC §3.1).

use super::{benchmark_rows, Measure, Series};
use crate::codes::Reason;
use crate::config::ReturnKind;
use crate::load::PriceSeries;

pub struct Returns {
    pub kind: ReturnKind,
}

impl Returns {
    fn ret(&self, a: f64, b: f64) -> f64 {
        match self.kind {
            ReturnKind::Simple => b / a - 1.0,
            ReturnKind::Log => (b / a).ln(),
        }
    }

    /// A return of this kind as a simple return.
    fn simple(&self, r: f64) -> f64 {
        match self.kind {
            ReturnKind::Simple => r,
            ReturnKind::Log => r.exp() - 1.0,
        }
    }
}

impl Measure for Returns {
    fn series(&self, stock: &PriceSeries, market: Option<&PriceSeries>) -> Result<Series, (Reason, String)> {
        let n = stock.dates.len();
        let value: Vec<f64> =
            (0..n).map(|i| if i == 0 { f64::NAN } else { self.ret(stock.prices[i - 1], stock.prices[i]) }).collect();
        let mut mret = vec![None; n];
        if let Some(m) = market {
            // Both calendars are sorted: the benchmark's row of each stock date, in one merge.
            let mpos = benchmark_rows(&stock.dates, &m.dates);
            for i in 1..n {
                if let (Some(j0), Some(j1)) = (mpos[i - 1], mpos[i]) {
                    mret[i] = Some(self.ret(m.prices[j0], m.prices[j1]));
                }
            }
        }
        Ok(Series { dates: stock.dates.clone(), value, market: mret })
    }

    fn raw(&self, values: &[f64]) -> f64 {
        values.iter().fold(1.0, |held, r| held * (1.0 + self.simple(*r))) - 1.0
    }

    fn missing_value(&self) -> (Reason, &'static str) {
        (Reason::NonFinite, "a return that is not a finite number")
    }

    fn benchmark_lacks(&self, benchmark: &str) -> String {
        format!("the benchmark {benchmark} has no price for")
    }

    fn noun(&self) -> &'static str {
        "return"
    }

    fn buy_and_hold(&self, values: &[f64], expected: &[f64]) -> f64 {
        let (mut held, mut normal) = (1.0, 1.0);
        for (r, e) in values.iter().zip(expected) {
            held *= 1.0 + self.simple(*r);
            normal *= 1.0 + self.simple(*e);
        }
        held - normal
    }

    fn convention(&self) -> String {
        match self.kind {
            ReturnKind::Simple => {
                "simple, P_t/P_{t-1} - 1, trade-to-trade on the stock's own rows; benchmark joined on date".into()
            }
            ReturnKind::Log => {
                "log, ln(P_t/P_{t-1}), trade-to-trade on the stock's own rows; benchmark joined on date".into()
            }
        }
    }

    fn buy_and_hold_convention(&self) -> String {
        "prod(1+R) - prod(1+E[R]) over the window, on simple returns".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

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
            volumes: None,
            warnings: vec![],
            date_order: None,
        }
    }

    /// Regression guard: a day missing from the benchmark must not pair a one-day stock return
    /// with a two-day market return; those rows get no market return at all.
    #[test]
    fn a_day_missing_from_the_benchmark_never_pairs_mismatched_returns() {
        let stock =
            series("S", &[("2025-01-02", 100.0), ("2025-01-03", 110.0), ("2025-01-06", 99.0), ("2025-01-07", 99.0)]);
        let market = series("M", &[("2025-01-02", 50.0), ("2025-01-06", 55.0), ("2025-01-07", 44.0)]);
        let j = Returns { kind: ReturnKind::Simple }.series(&stock, Some(&market)).unwrap();
        assert!(j.value[0].is_nan());
        assert!((j.value[1] - 0.10).abs() < 1e-15);
        assert!((j.value[2] - (-0.1)).abs() < 1e-15);
        assert_eq!(j.market[1], None, "01-03 is missing from the market");
        assert_eq!(j.market[2], None, "the 01-03 → 01-06 market return does not exist");
        assert!((j.market[3].unwrap() - (-0.2)).abs() < 1e-15);
    }

    #[test]
    fn log_returns_are_log_price_ratios() {
        let s = series("S", &[("2025-01-02", 100.0), ("2025-01-03", 120.0)]);
        let j = Returns { kind: ReturnKind::Log }.series(&s, Some(&s)).unwrap();
        assert!((j.value[1] - 1.2f64.ln()).abs() < 1e-15);
    }

    /// BHAR by hand: log returns ln 1.1 and ln 0.9 hold to 1.1·0.9 − 1 = −0.01; expected
    /// simple returns of 0 hold to 0, so BHAR = −0.01.
    #[test]
    fn buy_and_hold_compounds_simple_returns() {
        let m = Returns { kind: ReturnKind::Log };
        let b = m.buy_and_hold(&[1.1f64.ln(), 0.9f64.ln()], &[0.0, 0.0]);
        assert!((b - (-0.01)).abs() < 1e-15, "{b}");
    }
}

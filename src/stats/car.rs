//! Cumulative abnormal return over a window and its exact forecast-error variance.
//!
//! For a window of L event days with regressor rows x*_t (intercept included), the abnormal
//! returns AR_t = y_t − x*_t'b̂ have covariance s²·(I + X*(X'X)⁻¹X*'), so
//!
//! Var(CAR) = s²·1'(I + X*(X'X)⁻¹X*')1 = s²·[ L + v'(X'X)⁻¹v ],  v = X*'1 = (L, Σ_t x*_t,1, …),
//!
//! which for the market model is s²·[ L + L²/M + (Σ_t (x*_t − x̄))² / S_xx ] and for one day
//! the familiar s²·(1 + 1/M + (x*_t − x̄)²/S_xx). CAR/√Var(CAR) has a Student t distribution
//! with M − k − 1 degrees of freedom under normal, independent disturbances.
//!
//! References: MacKinlay (1997), JEL 35(1), eq. (10)–(14); Campbell, Lo and MacKinlay (1997),
//! §4.4.2–4.4.3 (the V_i matrix).

use super::ols::OlsFit;

/// The factor 1'(I + X*(X'X)⁻¹X*')1 for a window whose regressor rows (without the
/// intercept) are `rows`.
pub fn variance_factor<'a>(fit: &OlsFit, rows: impl IntoIterator<Item = &'a [f64]>) -> f64 {
    let mut l = 0.0;
    // The column sums on the stack for the usual few regressors (an event asks for one factor
    // per day and prefix of its window, hundreds of calls).
    let (mut small, mut large) = ([0.0; 8], Vec::new());
    let sums: &mut [f64] = if fit.k <= small.len() {
        &mut small[..fit.k]
    } else {
        large.resize(fit.k, 0.0);
        &mut large
    };
    for r in rows {
        l += 1.0;
        for (s, x) in sums.iter_mut().zip(r.iter()) {
            *s += x;
        }
    }
    l + fit.quad(l, sums)
}

/// Var(CAR) = s² times [`variance_factor`].
pub fn car_variance(fit: &OlsFit, rows: &[&[f64]]) -> f64 {
    fit.s2 * variance_factor(fit, rows.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::ols::{fit, S2Denominator};

    /// For the 4-point fit of `ols::tests` ((X'X)⁻¹ = [[1.5,−0.5],[−0.5,0.2]], s² = 0.9) and a
    /// window with market returns [2, 5]: 1'X* = [2, 7], [2,7](X'X)⁻¹[2,7]' = 6 − 14 + 9.8 = 1.8,
    /// factor = L + 1.8 = 3.8, Var(CAR) = 3.42. The closed form agrees:
    /// L + L²/M + (Σ(x−x̄))²/S_xx = 2 + 1 + (−0.5+2.5)²/5 = 3.8.
    #[test]
    fn equals_the_matrix_form_worked_by_hand() {
        let f = fit(&[2.0, 3.0, 5.0, 4.0], &[&[1.0, 2.0, 3.0, 4.0]], S2Denominator::MK1).unwrap();
        let rows: [&[f64]; 2] = [&[2.0], &[5.0]];
        assert!((variance_factor(&f, rows) - 3.8).abs() < 1e-12);
        assert!((car_variance(&f, &rows) - 3.42).abs() < 1e-12);
    }
}

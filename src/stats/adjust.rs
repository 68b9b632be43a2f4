//! Multiple-testing adjustment of a family of p-values (`--adjust`).
//!
//! An event window of 11 days tested with ten tests gives 110 p-values; one of them below 5%
//! is expected by chance. The adjusted p-values p̃ keep the order of `p` and are compared with
//! the same α:
//!
//! * Holm (1979) step-down, controlling the family-wise error rate under any dependence: with
//!   p₍₁₎ ≤ … ≤ p₍ₘ₎, p̃₍ⱼ₎ = max_{k ≤ j} min(1, (m − k + 1)·p₍ₖ₎).
//! * Benjamini and Hochberg (1995) step-up, controlling the false discovery rate under
//!   independence or positive regression dependence (overlapping windows and clustered events
//!   are positively dependent): p̃₍ⱼ₎ = min_{k ≥ j} min(1, m·p₍ₖ₎/k).
//!
//! NaN p-values (undefined tests) are left out of m and stay NaN, as R's `p.adjust`.
//!
//! References: Holm (1979), Scand. J. Statist. 6, p. 65–70; Benjamini and Hochberg (1995),
//! JRSS B 57, p. 289–300. Values checked against `statsmodels.stats.multitest.multipletests`
//! (method `holm` and `fdr_bh`) and `scipy.stats.false_discovery_control`.

use serde::Serialize;

/// The adjustment of `--adjust`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Adjust {
    None,
    Holm,
    Bh,
}

/// The adjusted p-values of `p`, in its order; `None` for [`Adjust::None`].
pub fn adjust(p: &[f64], method: Adjust) -> Option<Vec<f64>> {
    if method == Adjust::None {
        return None;
    }
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let m = order.len() as f64;
    let mut out = vec![f64::NAN; p.len()];
    match method {
        Adjust::None => unreachable!("returned above"),
        Adjust::Holm => {
            let mut running = 0.0f64;
            for (j, &i) in order.iter().enumerate() {
                running = running.max(((m - j as f64) * p[i]).min(1.0));
                out[i] = running;
            }
        }
        Adjust::Bh => {
            let mut running = 1.0f64;
            for (j, &i) in order.iter().enumerate().rev() {
                running = running.min((m * p[i] / (j + 1) as f64).min(1.0));
                out[i] = running;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: [f64; 6] = [0.01, 0.04, 0.03, f64::NAN, 0.005, 0.2];

    /// multipletests([0.01, 0.04, 0.03, 0.005, 0.2], method="holm") and "fdr_bh", by hand:
    /// sorted 0.005, 0.01, 0.03, 0.04, 0.2; Holm 5·0.005, 4·0.01, 3·0.03, max(0.09, 2·0.04),
    /// 0.2 → 0.025, 0.04, 0.09, 0.09, 0.2; BH 5/1·0.005, 5/2·0.01, then
    /// min(5/3·0.03, 5/4·0.04, 0.2) = 0.05 for both 0.03 and 0.04.
    #[test]
    fn holm_and_bh_by_hand() {
        let h = adjust(&P, Adjust::Holm).unwrap();
        let want = [0.04, 0.09, 0.09, f64::NAN, 0.025, 0.2];
        for (a, b) in h.iter().zip(want) {
            assert!(a.is_nan() && b.is_nan() || (a - b).abs() < 1e-15, "{h:?}");
        }
        let b = adjust(&P, Adjust::Bh).unwrap();
        let want = [0.025, 0.05, 0.05, f64::NAN, 0.025, 0.2];
        for (a, w) in b.iter().zip(want) {
            assert!(a.is_nan() && w.is_nan() || (a - w).abs() < 1e-15, "{b:?}");
        }
        assert!(adjust(&P, Adjust::None).is_none());
        assert_eq!(adjust(&[], Adjust::Holm).unwrap().len(), 0);
    }
}

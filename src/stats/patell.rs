//! Patell (1976) standardised abnormal return test.
//!
//! Each event's abnormal return is standardised by its forecast-error standard deviation,
//! SAR_i,t = AR_i,t / (s_i·√(1 + x*_t'(X_i'X_i)⁻¹x*_t)), which is Student t with
//! d_i = M_i − k − 1 degrees of freedom and so has variance d_i/(d_i − 2). Then
//!
//! Z = Σ_i SAR_i / √( Σ_i d_i/(d_i − 2) ) ~ N(0, 1).
//!
//! For a window the standardised CAR is, by default, CAR_i/√Var(CAR_i) with the exact
//! forecast-error variance (MacKinlay's J2 family); the alternative convention used by
//! EventStudyTools and EventStudy (R) cumulates SARs: SCAR_i = Σ_t SAR_i,t / √L. Both are
//! then combined as above.
//!
//! References: Patell (1976), JAR 14(2); Campbell, Lo and MacKinlay (1997), eq. (4.4.24);
//! Kolari and Pynnönen (2010), RFS 23(11), eq. (4).

use super::tdist::z_p;
use super::tdist::Alternative;
use super::TestOutcome;

/// `scaled[i]` is event i's standardised (C)AR and `df[i]` its degrees of freedom d_i.
pub fn test(scaled: &[f64], df: &[usize], alt: Alternative) -> TestOutcome {
    let dist = "N(0,1)";
    if scaled.is_empty() || df.iter().any(|&d| d <= 2) {
        return TestOutcome::undefined(dist);
    }
    let var: f64 = df.iter().map(|&d| d as f64 / (d as f64 - 2.0)).sum();
    let z = scaled.iter().sum::<f64>() / var.sqrt();
    TestOutcome::new(z, z_p(z, alt), dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SARs 1.0, 2.0, −0.5 with d = 10, 12, 10: variances 1.25, 1.2, 1.25 sum 3.7,
    /// Z = 2.5/√3.7 = 1.2996881.
    #[test]
    fn worked_by_hand() {
        let r = test(&[1.0, 2.0, -0.5], &[10, 12, 10], Alternative::TwoSided);
        assert!((r.stat - 2.5 / 3.7f64.sqrt()).abs() < 1e-14);
    }
}

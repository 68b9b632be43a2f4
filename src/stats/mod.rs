//! Statistics on plain slices: no I/O, no DataFrames, no formatting. Each module holds one
//! piece of the method with its formula and reference in the doc comment.

pub mod adjust;
pub mod bmp;
pub mod bootstrap;
pub mod bw_cda;
pub mod car;
pub mod claims;
pub mod csect;
pub mod exact;
pub mod garch;
pub mod grank;
pub mod nonsync;
pub mod ols;
pub mod patell;
pub mod rank;
pub mod rbar;
pub mod sign;
pub mod skew_t;
pub mod tdist;
pub mod volatility;
pub mod wilcoxon;

use std::borrow::Cow;

use serde::Serialize;

/// A residual standard deviation at or below this share of the largest estimation value is
/// rounding noise, not variation.
pub const RELATIVE_NOISE: f64 = 1e-10;

/// One test's outcome: its statistic, p-value and the distribution the p-value comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestOutcome {
    pub stat: f64,
    pub p: f64,
    /// `p` adjusted for multiple testing within its family (`--adjust`; absent with `none`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_adj: Option<f64>,
    /// The distribution's name: a fixed one (`N(0,1)`) is not copied into every outcome.
    pub dist: Cow<'static, str>,
}

impl TestOutcome {
    pub fn new(stat: f64, p: f64, dist: impl Into<Cow<'static, str>>) -> TestOutcome {
        TestOutcome { stat, p, p_adj: None, dist: dist.into() }
    }

    /// An outcome that cannot be computed (too few events, zero variance): NaN, shown as null.
    pub fn undefined(dist: impl Into<Cow<'static, str>>) -> TestOutcome {
        TestOutcome::new(f64::NAN, f64::NAN, dist)
    }
}

/// The values a thread remembers in one [`remembered`] map at most; a full map is emptied (a
/// bound on the memory of a study whose keys all differ).
const REMEMBERED: usize = 4096;

/// A per-thread map of values computed once each: a quantile, a median or an exact p-value
/// that every group of a study asks for again.
pub(crate) type Remembered<K> = std::thread::LocalKey<std::cell::RefCell<std::collections::HashMap<K, f64>>>;

/// The value of `key` in the thread's map `known`, computed by `f` (outside the map's borrow)
/// and kept when it is not there yet.
pub(crate) fn remembered<K: std::hash::Hash + Eq>(
    known: &'static Remembered<K>,
    key: K,
    f: impl FnOnce() -> f64,
) -> f64 {
    if let Some(v) = known.with_borrow(|k| k.get(&key).copied()) {
        return v;
    }
    let v = f();
    known.with_borrow_mut(|k| {
        if k.len() >= REMEMBERED {
            k.clear();
        }
        k.insert(key, v);
    });
    v
}

/// The name `kind(n)` of a distribution with a whole-number parameter (`t(238)`,
/// `bootstrap-t(999)`): made once per thread and kept for the run, as every day and window of
/// every group names the same few distributions (a study of 20,000 events made a million such
/// strings). The names kept are bounded by the distinct parameters: degrees of freedom, group
/// sizes, resample counts.
pub fn named(kind: &'static str, n: u64) -> Cow<'static, str> {
    thread_local! {
        static NAMES: std::cell::RefCell<std::collections::HashMap<(&'static str, u64), &'static str>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    NAMES.with_borrow_mut(|names| {
        Cow::Borrowed(*names.entry((kind, n)).or_insert_with(|| Box::leak(format!("{kind}({n})").into_boxed_str())))
    })
}

/// A parameter as written in a distribution's name: at most four decimals (`0.5`, `0.4813`).
pub fn short(x: f64) -> String {
    // The sign test's ½ and a group's p̂ come back for every day and window: the last value
    // other than ½ is kept per thread (formatting to four decimals is the slow part).
    thread_local! {
        static LAST: std::cell::RefCell<Option<(u64, String)>> = const { std::cell::RefCell::new(None) };
    }
    if x == 0.5 {
        return "0.5".to_string();
    }
    LAST.with_borrow_mut(|last| match last {
        Some((bits, s)) if *bits == x.to_bits() => s.clone(),
        _ => {
            let s = format!("{x:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
            *last = Some((x.to_bits(), s.clone()));
            s
        }
    })
}

/// Whether `x` is a positive number: false for zero, negative numbers and NaN (a variance
/// or scale that cannot standardise).
pub fn positive(x: f64) -> bool {
    x > 0.0
}

/// Mean and sample standard deviation (N − 1); NaN sd for fewer than 2 values.
pub fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    if x.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let m = x.iter().sum::<f64>() / n;
    if x.len() < 2 {
        return (m, f64::NAN);
    }
    let v = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, v.sqrt())
}

#[cfg(test)]
mod tests {
    /// Four decimals at most, trailing zeros dropped, the same text when a value comes back
    /// after another (the per-thread memo).
    #[test]
    fn short_parameters() {
        for (x, want) in
            [(0.5, "0.5"), (0.48134, "0.4813"), (0.48, "0.48"), (0.48134, "0.4813"), (1.0, "1"), (0.5, "0.5")]
        {
            assert_eq!(super::short(x), want, "{x}");
        }
    }

    /// A remembered value is computed once per key; a full map starts again from empty.
    #[test]
    fn remembered_values_are_computed_once_and_bounded() {
        use std::cell::RefCell;
        use std::collections::HashMap;
        thread_local! {
            static KNOWN: RefCell<HashMap<usize, f64>> = RefCell::new(HashMap::new());
        }
        let calls = std::cell::Cell::new(0);
        let get = |key: usize| {
            super::remembered(&KNOWN, key, || {
                calls.set(calls.get() + 1);
                key as f64 / 2.0
            })
        };
        assert_eq!((get(3), get(3), calls.get()), (1.5, 1.5, 1));
        for key in 0..super::REMEMBERED + 10 {
            get(key);
        }
        assert!(KNOWN.with_borrow(|k| k.len()) <= super::REMEMBERED);
        assert_eq!(get(7), 3.5);
    }

    /// A name is written as `format!` writes it and made once: the second call borrows the
    /// same text.
    #[test]
    fn named_distributions_are_made_once() {
        for (kind, n) in [("t", 238), ("bootstrap-t", 999), ("t", 0), ("chi2", u64::MAX)] {
            let (a, b) = (super::named(kind, n), super::named(kind, n));
            assert_eq!(a, format!("{kind}({n})"));
            assert!(
                matches!((&a, &b), (std::borrow::Cow::Borrowed(x), std::borrow::Cow::Borrowed(y)) if std::ptr::eq(*x, *y))
            );
        }
        assert_ne!(super::named("t", 23), super::named("t", 238));
    }
}

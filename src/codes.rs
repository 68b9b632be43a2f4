//! The codes a study writes into its outputs (`status`, `reason`, `day0_rule`, the input
//! `role`, the test ids): enums, so the engine and the exporters compare variants rather than
//! strings, while `summary.json` and the CSVs keep the same text.
//!
//! Each code orders by its text, so maps keyed by codes (`exclusions`, the tests of a group)
//! list them alphabetically, as the documented JSON does.

use serde::{Serialize, Serializer};

/// Declares a code enum: its variants with their text, `code()`, `ALL` in the given order,
/// `parse`, ordering by text and serialisation as the text.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every code, in the order outputs list them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code as written in the outputs.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The code of `text`, if it is one.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|c| c.code() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl $name {
            /// How many codes there are.
            pub const COUNT: usize = [$($text,)+].len();

            /// Each code's place in the alphabetical order of the texts (maps keyed by codes
            /// compare them millions of times).
            const RANKS: &'static [u8] = &ranks::<{ [$($text,)+].len() }>(&[$($text,)+]);

            /// The code's place in the alphabetical order of the texts, from 0.
            pub const fn rank(self) -> usize {
                $name::RANKS[self as usize] as usize
            }

            /// Every code in the alphabetical order of the texts: `BY_TEXT[c.rank()] == c`.
            pub const BY_TEXT: [$name; $name::COUNT] = {
                let mut out = [$name::ALL[0]; $name::COUNT];
                let mut i = 0;
                while i < $name::COUNT {
                    out[$name::RANKS[i] as usize] = $name::ALL[i];
                    i += 1;
                }
                out
            };
        }

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                $name::RANKS[*self as usize].cmp(&$name::RANKS[*other as usize])
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
    };
}

/// The place of each of `texts` (distinct) in their alphabetical (byte) order.
const fn ranks<const N: usize>(texts: &[&str; N]) -> [u8; N] {
    let mut ranks = [0u8; N];
    let mut i = 0;
    while i < N {
        let mut j = 0;
        while j < N {
            if text_before(texts[j], texts[i]) {
                ranks[i] += 1;
            }
            j += 1;
        }
        i += 1;
    }
    ranks
}

/// Whether `a` sorts before `b`, byte by byte, as `str`'s order does.
const fn text_before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

codes! {
    /// Whether an (event, ticker) pair was computed.
    Status {
        Ok => "ok",
        Excluded => "excluded",
    }
}

codes! {
    /// Why an (event, ticker) pair was excluded.
    Reason {
        /// No price file (or panel column) for the ticker.
        NoPriceFile => "no_price_file",
        /// `--non-trading skip` and the event date has no session.
        NonTradingDay => "non_trading_day",
        /// Day 0 falls before the first or after the last price, or beyond a gap.
        Day0OutsideData => "day0_outside_data",
        /// The event window needs prices before the first or after the last row.
        EventWindowOutsideData => "event_window_outside_data",
        /// A factor model lacks factor returns on an event-window day.
        FactorsMissing => "factors_missing",
        /// The benchmark has no return on an event-window day.
        BenchmarkMissing => "benchmark_missing",
        /// Fewer usable estimation days than `--min-estimation` or than the model needs.
        TooFewEstimationDays => "too_few_estimation_days",
        /// A regressor is constant or the regressors are collinear.
        DegenerateEstimation => "degenerate_estimation",
        /// `--measure volume` and the price file has no volume column.
        NoVolume => "no_volume",
        /// `--measure volume` and an event-window day has no volume.
        VolumeMissing => "volume_missing",
        /// A value of the event window is not a finite number.
        NonFinite => "non_finite",
        /// The maximum-likelihood fit of the normal-return model (GARCH) did not converge.
        NotConverged => "not_converged",
    }
}

codes! {
    /// What placed day 0 (see [`crate::session`]).
    Day0Rule {
        SameDay => "same-day",
        BeforeClose => "before-close",
        AfterClose => "after-close",
        Weekend => "weekend",
        Holiday => "holiday",
        OutsideData => "outside-data",
        /// Day 0 of the first event of a `--chain` window.
        Chain => "chain",
    }
}

codes! {
    /// What a file read by the study was for.
    InputRole {
        Events => "events",
        Tickers => "tickers",
        Claims => "claims",
        Factors => "factors",
        Market => "market",
        Stock => "stock",
    }
}

codes! {
    /// The across-event tests, in the order they are printed.
    TestId {
        /// Cross-sectional t (Brown and Warner 1985).
        CsectT => "csect_t",
        /// Crude dependence adjustment t (Brown and Warner 1980, 1985).
        BwCdaT => "bw_cda_t",
        /// Patell (1976) z.
        PatellZ => "patell_z",
        /// Boehmer, Musumeci and Poulsen (1991) t.
        BmpT => "bmp_t",
        /// Kolari and Pynnönen (2010) adjusted BMP t.
        KpBmpT => "kp_bmp_t",
        /// Corrado (1989) rank z.
        CorradoZ => "corrado_z",
        /// Kolari and Pynnönen (2011) generalized rank t.
        GrankT => "grank_t",
        /// Cowan (1992) generalized sign z.
        GenSignZ => "gen_sign_z",
        /// Sign z.
        SignZ => "sign_z",
        /// Wilcoxon signed-rank z.
        WilcoxonZ => "wilcoxon_z",
        /// Bootstrap t.
        Bootstrap => "bootstrap",
        /// Skewness-adjusted t of the CARs (Hall 1992; Lyon, Barber and Tsai 1999), windows only.
        SkewT => "skew_t",
        /// Skewness-adjusted t of the BHARs, windows only.
        SkewTBhar => "skew_t_bhar",
        /// Volatility: cross-sectional t of ln F − E[ln F].
        VolLnfT => "vol_lnf_t",
        /// Volatility: sign test of F above its null median.
        VolSignZ => "vol_sign_z",
        /// Volatility: Wilcoxon signed ranks of ln F − ln median.
        VolWilcoxonZ => "vol_wilcoxon_z",
        /// Volatility: Σ L·F against χ²(Σ L).
        VolChi2 => "vol_chi2",
    }
}

codes! {
    /// The cross-sectional tests of the GARCH event dummies (`--garch-dummies`), t(N − 1).
    DummyTest {
        /// The variance dummy δ.
        DeltaT => "delta_t",
        /// δ/h₀, the proportional variance increase (EventStudyTools' corrected test).
        DeltaH0T => "delta_h0_t",
        /// The mean dummy γ.
        GammaT => "gamma_t",
        /// γ/√h₀ (Savickas 2003).
        GammaSqrtH0T => "gamma_sqrt_h0_t",
    }
}

impl TestId {
    /// Whether the p-value comes from resampling events (`--bootstrap`; not run with 0).
    pub fn is_resampled(self) -> bool {
        matches!(self, TestId::Bootstrap | TestId::SkewT | TestId::SkewTBhar)
    }

    /// Whether the test is about volatility (windows only) rather than the mean.
    pub fn is_volatility(self) -> bool {
        matches!(self, TestId::VolLnfT | TestId::VolSignZ | TestId::VolWilcoxonZ | TestId::VolChi2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_order_by_their_text() {
        for t in TestId::ALL {
            assert_eq!(TestId::parse(t.code()), Some(*t));
        }
        let mut sorted = TestId::ALL.to_vec();
        sorted.sort();
        let texts: Vec<&str> = sorted.iter().map(|t| t.code()).collect();
        let mut alphabetical = texts.clone();
        alphabetical.sort_unstable();
        assert_eq!(texts, alphabetical);
        assert_eq!(serde_json::to_string(&Reason::BenchmarkMissing).unwrap(), "\"benchmark_missing\"");
        let m: std::collections::BTreeMap<Reason, usize> =
            [(Reason::TooFewEstimationDays, 1), (Reason::BenchmarkMissing, 2)].into();
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"benchmark_missing":2,"too_few_estimation_days":1}"#);
        assert_eq!(Day0Rule::parse("after-close"), Some(Day0Rule::AfterClose));
        assert_eq!(Status::parse("maybe"), None);
    }

    /// The order of codes is the order of their texts, for every pair of every kind of code.
    #[test]
    fn every_pair_of_codes_compares_as_its_texts() {
        fn check<T: Ord + Copy + std::fmt::Debug>(all: &[T], code: impl Fn(T) -> &'static str) {
            for &a in all {
                for &b in all {
                    assert_eq!(a.cmp(&b), code(a).cmp(code(b)), "{a:?} {b:?}");
                }
            }
        }
        check(TestId::ALL, TestId::code);
        check(Reason::ALL, Reason::code);
        check(Day0Rule::ALL, Day0Rule::code);
        check(Status::ALL, Status::code);
        check(DummyTest::ALL, DummyTest::code);
        check(InputRole::ALL, InputRole::code);
        assert!(text_before("a", "ab") && text_before("ab", "b") && !text_before("b", "b"));
    }

    /// `BY_TEXT` lists every code once, alphabetically, each at its `rank()`.
    #[test]
    fn by_text_lists_every_code_at_its_rank() {
        fn check<T: Ord + Copy + std::fmt::Debug>(all: &[T], by_text: &[T], rank: impl Fn(T) -> usize) {
            let mut sorted = all.to_vec();
            sorted.sort();
            assert_eq!(by_text, sorted.as_slice());
            for (r, &c) in by_text.iter().enumerate() {
                assert_eq!(rank(c), r, "{c:?}");
            }
        }
        check(TestId::ALL, &TestId::BY_TEXT, TestId::rank);
        check(Reason::ALL, &Reason::BY_TEXT, Reason::rank);
        check(DummyTest::ALL, &DummyTest::BY_TEXT, DummyTest::rank);
        assert_eq!((TestId::BY_TEXT[0], TestId::BY_TEXT[TestId::COUNT - 1]), (TestId::BmpT, TestId::WilcoxonZ));
    }
}

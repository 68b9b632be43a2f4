//! The method conventions of a study, spelled out in words for `summary.json` (PEERS.md lists
//! where tools differ). The measure and the model say their own part.

use super::Engine;
use crate::config::{Alternative, BetaKind, BmpScale, PatellCar};
use crate::session::NonTrading;
use crate::stats::adjust::Adjust;
use crate::stats::exact::EXACT_MAX_N;
use crate::stats::rbar::PairRule;
use crate::summary::Conventions;

impl Engine<'_> {
    pub fn conventions(&self) -> Conventions {
        let cfg = self.cfg;
        let t = &cfg.tests;
        Conventions {
            s2_denominator: self.model.s2_convention(t.s2_denominator),
            car_variance: self.model.car_variance_convention().into(),
            t_distribution: self.model.t_convention(),
            p_value: match t.alternative {
                Alternative::TwoSided => "two-sided".into(),
                Alternative::Greater => "one-sided, alternative: greater than zero".into(),
                Alternative::Less => "one-sided, alternative: less than zero".into(),
            },
            day0: format!(
                "{}; one (ticker, day 0) is one observation: later events on the same day 0 are reported but merged into the first in the across-event tests",
                day0_convention(cfg.method.non_trading)
            ),
            beta: beta_convention(cfg.method.beta, cfg.dimson_lags()),
            returns: if self.model.uses_market() {
                format!(
                    "{}; on the calendar the stock shares with its benchmark (a stock session without a benchmark price joins the next common day: trade-to-trade)",
                    self.measure.convention()
                )
            } else {
                self.measure.convention()
            },
            significance_marks: "* p<0.10, ** p<0.05, *** p<0.01".into(),
            confidence_band: "95%: CAR +/- t(0.975, M-k-1) * se; CAAR +/- t(0.975, N-1) * sd(CAR_i)/sqrt(N) (one event: its own CAR band)".into(),
            bmp: match t.bmp_scale {
                BmpScale::Fec => "standardised with the forecast-error variance (estudy2, EventStudyTools, Stata eventstudy2)".into(),
                BmpScale::Plain => "standardised with the plain residual s (EventStudy 0.50 for R)".into(),
            },
            patell_car: match t.patell_car {
                PatellCar::Exact => "SCAR = CAR / sqrt(exact Var(CAR)); Z = sum SCAR / sqrt(sum d/(d-2))".into(),
                PatellCar::SumSar => "SCAR = sum SAR / sqrt(L) (EventStudyTools); Z = sum SCAR / sqrt(sum d/(d-2))".into(),
            },
            kolari_pynnonen: format!(
                "r-bar = sum of pairwise correlations of estimation residuals on common calendar dates / number of pairs; {} (pairs with fewer than 3 common dates also contribute zero)",
                match t.rbar_pairs {
                    PairRule::EventOverlap => "only pairs whose event windows share a calendar date are correlated, the others contribute zero (--rbar-pairs event-overlap)",
                    PairRule::SameDay => "only pairs with the same day 0 are correlated, the others contribute zero (--rbar-pairs same-day)",
                    PairRule::Estimation => "every pair whose estimation windows share dates is correlated (--rbar-pairs estimation)",
                }
            ),
            corrado_rank: "ranks over each event's estimation days plus the whole event window (Corrado 1989, Cowan 1992), U = K/(T+1)".into(),
            generalized_sign: "p-hat = mean share of positive estimation-window abnormal returns (Cowan 1992)".into(),
            exact_p: format!("sign_z, gen_sign_z and wilcoxon_z report the z; up to N = {EXACT_MAX_N} (non-zero values for Wilcoxon) their p comes from the exact distribution: Bin(N, 1/2) or Bin(N, p-hat) (scipy binomtest, two-sided by the likelihood of the outcomes), and the signed-rank distribution of N untied ranks with a tied W+ rounded conservatively (scipy wilcoxon method='exact'); above, from N(0,1). Zeros: not positive in the sign tests, dropped in Wilcoxon. Undefined (null) with one event"),
            grank: "grank_t (Kolari-Pynnonen 2011): SCAR = CAR/sqrt(Var CAR) over sd across events, ranked among the event's SAR = e/s of its estimation days; S_U over the aligned estimation days and day 0 with weights n_t/N; t = Z sqrt((T-2)/(T-1-Z^2)) ~ t(T-2), T = estimation days + 1; no r-bar factor".into(),
            skew_t: format!("skew_t (CAR) and skew_t_bhar (BHAR): Hall (1992) / Lyon-Barber-Tsai (1999) t_sa = sqrt(N) (S + g S^2/3 + g/(6N)), S = mean/sd, g = sum (x - mean)^3/(N sd^3), sd with divisor N-1 (waissbluth/skewttest); p from {} bootstrap resamples of max(floor(N/4), 3) events centred on the mean, seed {}, p = 2 (1 + #beyond)/(B + 1) two-sided", t.bootstrap, t.seed),
            multiple_testing: match t.adjust {
                Adjust::None => "none (--adjust none): p_adj is not written".into(),
                a => format!(
                    "p_adj by {} within each family: per group and test, the days of the event window; per group and test, the CAR windows; per CAR window, the computed events' own CAR p-values (car[].p); undefined p-values are left out",
                    if a == Adjust::Holm { "Holm (1979) step-down, family-wise error rate" } else { "Benjamini-Hochberg (1995) step-up, false discovery rate" }
                ),
            },
            bootstrap: format!("bootstrap-t resampling events, {} resamples, seed {}; one draw of the group's events per resample serves every day and window (and the skew-t's draws of max(N/4, 3) events every window)", t.bootstrap, t.seed),
            bhar: self.measure.buy_and_hold_convention(),
            volatility: "per window: var_ratio = sum AR^2/(L s^2); var_f = AR' V^-1 AR/(L s^2) (Chow 1960 predictive test, F(L, M-k-1) under normal errors), var_p its upper tail (lower with --alternative less); per day sar2 = (AR/se)^2 ~ F(1, M-k-1); across events: vol_lnf_t (t of ln F - E[ln F]), vol_sign_z and vol_wilcoxon_z (against the null median of F), vol_chi2 (sum L*F against chi2(sum L), assuming independent events)".into(),
        }
    }
}

fn day0_convention(non_trading: NonTrading) -> String {
    match non_trading {
        NonTrading::Next => "date-only events: first trading day of the ticker on or after the date",
        NonTrading::Previous => "date-only events: the date if it is a trading day of the ticker, else the last one before it",
        NonTrading::Skip => "date-only events: the date if it is a trading day of the ticker, else skipped (non_trading_day)",
    }
    .to_string()
        + "; timestamped events: first session of the ticker whose close (local time, IANA daylight saving) is at or after the instant"
}

fn beta_convention(beta: BetaKind, lags: usize) -> String {
    match beta {
        BetaKind::Ols => "OLS on same-day returns".into(),
        BetaKind::ScholesWilliams => "Scholes-Williams (1977): (b-1 + b0 + b+1)/(1 + 2 rho_m); alpha = mean(R) - beta mean(Rm); s^2 = SSR/(M-2); Var(CAR) with the market model's (X'X)^-1".into(),
        BetaKind::Dimson => format!("Dimson (1979) with {lags} lag(s) and lead(s): sum of the slopes on Rm(t-{lags})..Rm(t+{lags}); alpha = mean(R) - beta mean(Rm); s^2 = SSR/(M-2); Var(CAR) with the market model's (X'X)^-1"),
    }
}

//! How the studied values are named and written: returns in percent (`+1.23%`, AR, CAR, CAAR),
//! log volume in its own units (`+0.352`, AV, CAV, CAAV). The table, the report and the charts
//! read their labels here, so a volume study never says "%" or "return".

use crate::config::MeasureKind;
use crate::summary::Summary;

#[derive(Debug, Clone, Copy)]
pub struct Units {
    pub measure: MeasureKind,
}

impl Units {
    pub fn of(s: &Summary) -> Units {
        Units { measure: s.config.method.measure }
    }

    fn returns(&self) -> bool {
        self.measure == MeasureKind::Returns
    }

    /// `returns` in a returns study, `volume` in a volume study.
    fn pick(&self, returns: &'static str, volume: &'static str) -> &'static str {
        if self.returns() {
            returns
        } else {
            volume
        }
    }

    /// A value as text: `+1.23%`, or `+0.352` for log volume.
    pub fn value(&self, x: f64) -> String {
        if self.returns() {
            format!("{:+.2}%", 100.0 * x)
        } else {
            format!("{x:+.3}")
        }
    }

    /// A standard error as text: `2.18%`, or `0.354`.
    pub fn se(&self, x: f64) -> String {
        if self.returns() {
            format!("{:.2}%", 100.0 * x)
        } else {
            format!("{x:.3}")
        }
    }

    /// The factor from a value to what the charts plot (percent for returns).
    pub fn scale(&self) -> f64 {
        if self.returns() {
            100.0
        } else {
            1.0
        }
    }

    /// The unit of a chart axis.
    pub fn axis_unit(&self) -> &'static str {
        self.pick("%", "log volume")
    }

    /// `AR` / `AV`.
    pub fn ar(&self) -> &'static str {
        self.pick("AR", "AV")
    }

    /// `CAR` / `CAV`.
    pub fn car(&self) -> &'static str {
        self.pick("CAR", "CAV")
    }

    /// `CAAR` / `CAAV`.
    pub fn caar(&self) -> &'static str {
        self.pick("CAAR", "CAAV")
    }

    /// `AAR` / `AAV`.
    pub fn aar(&self) -> &'static str {
        self.pick("AAR", "AAV")
    }

    /// `abnormal return` / `abnormal log volume`.
    pub fn abnormal(&self) -> &'static str {
        self.pick("abnormal return", "abnormal log volume")
    }

    /// A chart caption written for returns, in the words of this measure.
    pub fn caption(&self, text: &str) -> String {
        if self.returns() {
            return text.to_string();
        }
        [
            ("Cumulative average abnormal return (CAAR)", "Cumulative average abnormal log volume (CAAV)"),
            ("Cumulative abnormal return (CAR)", "Cumulative abnormal log volume (CAV)"),
            ("Daily abnormal returns", "Daily abnormal log volumes"),
            ("CAR paths", "CAV paths"),
            ("benchmark returns", "benchmark log volumes"),
            ("squared standardised abnormal returns", "squared standardised abnormal log volumes"),
        ]
        .iter()
        .fold(text.to_string(), |t, (from, to)| t.replace(from, to))
    }

    /// What a CAV of `cav` over `days` days means: `x 3.2 normal volume per day`; nothing for
    /// returns.
    pub fn per_day(&self, cav: f64, days: i32) -> String {
        if self.returns() || days < 1 {
            String::new()
        } else {
            format!("x {:.2} normal volume per day", (cav / days as f64).exp())
        }
    }
}

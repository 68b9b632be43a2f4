//! When could the market react? Day 0 is the first session of a ticker that could price the
//! news (SPEC §4.1). A date-only event takes the first trading day on or after its date (or the
//! previous one, or none, by `--non-trading`); a timestamped event takes the first session
//! whose close is at or after the instant, in the exchange's own time zone with its daylight
//! saving from the IANA database. So a report at 12:30 UTC is day 0 the same day in New York
//! (08:30, before the close) and the next session in Hong Kong (20:30, after the close).
//!
//! A ticker's trading days are the dates in its own price file; a weekday missing there is
//! taken as a holiday (Hong Kong's Lunar New Year closure, a US market holiday).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

use crate::codes::Day0Rule;
use crate::load::{Event, TickerInfo};

/// Where a ticker trades: its time zone and local session close.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub tz: Tz,
    pub close: NaiveTime,
    /// Where this came from, for the outputs (`tickers.csv line 3`, `suffix .HK`, ...).
    pub source: String,
}

impl Session {
    /// `Asia/Hong_Kong, close 16:00 (suffix .HK)`.
    pub fn describe(&self) -> String {
        format!("{}, close {} ({})", self.tz, self.close.format("%H:%M"), self.source)
    }

    /// The instant the session of `day` closes.
    pub fn close_on(&self, day: NaiveDate) -> DateTime<Tz> {
        let local = day.and_time(self.close);
        self.tz.from_local_datetime(&local).earliest().unwrap_or_else(|| self.tz.from_utc_datetime(&local))
    }
}

/// Ticker suffixes and their markets (SPEC §4.1); no suffix means New York.
const SUFFIXES: &[(&str, Tz, (u32, u32))] = &[
    (".HK", chrono_tz::Asia::Hong_Kong, (16, 0)),
    (".SS", chrono_tz::Asia::Shanghai, (15, 0)),
    (".SZ", chrono_tz::Asia::Shanghai, (15, 0)),
    (".T", chrono_tz::Asia::Tokyo, (15, 30)),
    (".L", chrono_tz::Europe::London, (16, 30)),
    (".TW", chrono_tz::Asia::Taipei, (13, 30)),
];

/// Exchange names accepted in the `exchange` column of `tickers.csv`.
const EXCHANGES: &[(&[&str], Tz, (u32, u32))] = &[
    (
        &["NYSE", "NASDAQ", "NMS", "NYQ", "NGM", "NCM", "AMEX", "NYSE ARCA", "ARCA", "BATS", "CBOE", "US"],
        chrono_tz::America::New_York,
        (16, 0),
    ),
    (&["HKEX", "HKSE", "SEHK", "HKG", "HK"], chrono_tz::Asia::Hong_Kong, (16, 0)),
    (&["SSE", "SHH", "SZSE", "SHZ"], chrono_tz::Asia::Shanghai, (15, 0)),
    (&["TSE", "JPX", "TYO"], chrono_tz::Asia::Tokyo, (15, 30)),
    (&["LSE", "LON"], chrono_tz::Europe::London, (16, 30)),
    (&["TWSE", "TAI"], chrono_tz::Asia::Taipei, (13, 30)),
];

fn hm((h, m): (u32, u32)) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid table time")
}

/// The session of `ticker`: `tickers.csv` first (its `timezone`/`close`, or its `exchange`),
/// then the ticker suffix, then New York 16:00.
pub fn session_for(ticker: &str, info: Option<&TickerInfo>, tickers_file: &str) -> Session {
    let upper = ticker.to_ascii_uppercase();
    let by_suffix = SUFFIXES.iter().find(|(s, _, _)| upper.ends_with(s));
    let (mut tz, mut close, mut source) = match by_suffix {
        Some((s, tz, c)) => (*tz, hm(*c), format!("suffix {s}")),
        None => (chrono_tz::America::New_York, hm((16, 0)), "no suffix: New York".to_string()),
    };
    if let Some(i) = info {
        let by_exchange = i.exchange.as_deref().and_then(|x| {
            EXCHANGES.iter().find(|(names, _, _)| names.iter().any(|n| n.eq_ignore_ascii_case(x.trim())))
        });
        if let Some((_, etz, ec)) = by_exchange {
            (tz, close) = (*etz, hm(*ec));
        }
        if let Some(z) = i.timezone {
            tz = z;
        }
        if let Some(c) = i.close {
            close = c;
        }
        if by_exchange.is_some() || i.timezone.is_some() || i.close.is_some() {
            source = format!("{tickers_file} line {}", i.line);
        }
    }
    Session { tz, close, source }
}

/// What `--non-trading` does with a date-only event on a day without a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum NonTrading {
    /// The next session (default).
    Next,
    /// The last session before the date.
    Previous,
    /// No day 0: the event is excluded for that ticker (`non_trading_day`).
    Skip,
}

/// Where day 0 fell, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Row of day 0 in the ticker's dates; `None` when there is none.
    pub index: Option<usize>,
    /// What placed it.
    pub rule: Day0Rule,
    /// One sentence a reader can check.
    pub reason: String,
    /// The date the rule looked at: the event date, or the local date of the instant.
    pub local_date: NaiveDate,
    /// Set when `--non-trading skip` left the event without a day 0.
    pub skipped: bool,
}

/// Places day 0 of `e` on the trading days `dates` of a ticker trading in `session`.
pub fn place_day0(dates: &[NaiveDate], e: &Event, session: &Session, non_trading: NonTrading) -> Placement {
    match &e.instant {
        Some(t) => place_instant(dates, t, session),
        None => place_date(dates, e.date, non_trading),
    }
}

fn no_session_rule(d: NaiveDate) -> Day0Rule {
    if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        Day0Rule::Weekend
    } else {
        Day0Rule::Holiday
    }
}

fn outside(dates: &[NaiveDate], local: NaiveDate) -> Option<Placement> {
    let (first, last) = (*dates.first()?, *dates.last()?);
    (local < first || local > last).then(|| Placement {
        index: None,
        rule: Day0Rule::OutsideData,
        reason: format!("{local} is outside the prices ({first} to {last})"),
        local_date: local,
        skipped: false,
    })
}

fn place_date(dates: &[NaiveDate], date: NaiveDate, non_trading: NonTrading) -> Placement {
    let i = dates.partition_point(|d| *d < date);
    if dates.get(i) == Some(&date) {
        return Placement {
            index: Some(i),
            rule: Day0Rule::SameDay,
            reason: format!("{date} is a trading day"),
            local_date: date,
            skipped: false,
        };
    }
    let rule = no_session_rule(date);
    let what = if rule == Day0Rule::Weekend {
        format!("{date} is a {}", date.format("%A"))
    } else {
        format!("no session on {} {date} (holiday)", date.format("%A"))
    };
    // The session just outside the data can still be the right one (a Saturday after the
    // last Friday with --non-trading previous); how far it is from the date is checked later.
    let (index, reason, skipped) = match non_trading {
        NonTrading::Next if i < dates.len() => (Some(i), format!("{what}: next session {}", dates[i]), false),
        NonTrading::Previous if i > 0 => {
            (Some(i - 1), format!("{what}: previous session {} (--non-trading previous)", dates[i - 1]), false)
        }
        NonTrading::Skip => (None, format!("{what}: skipped (--non-trading skip)"), true),
        _ => {
            return outside(dates, date).unwrap_or(Placement {
                index: None,
                rule: Day0Rule::OutsideData,
                reason: format!("{what}: no session there in the data"),
                local_date: date,
                skipped: false,
            })
        }
    };
    Placement { index, rule, reason, local_date: date, skipped }
}

fn place_instant(dates: &[NaiveDate], t: &DateTime<FixedOffset>, s: &Session) -> Placement {
    let local = t.with_timezone(&s.tz);
    let day = local.date_naive();
    if let Some(p) = outside(dates, day) {
        return p;
    }
    let stamp = format!("{} {}", local.format("%Y-%m-%d %H:%M %Z"), s.tz);
    let close = s.close.format("%H:%M");
    let mut i = dates.partition_point(|d| *d < day);
    let rule = if dates.get(i) == Some(&day) {
        if *t <= s.close_on(day) {
            return Placement {
                index: Some(i),
                rule: Day0Rule::BeforeClose,
                reason: format!("published {stamp}, before the {close} close: that session"),
                local_date: day,
                skipped: false,
            };
        }
        i += 1;
        Day0Rule::AfterClose
    } else {
        no_session_rule(day)
    };
    let why = match rule {
        Day0Rule::AfterClose => format!("after the {close} close"),
        Day0Rule::Weekend => format!("on a {}", day.format("%A")),
        _ => format!("on a day without a session ({})", day.format("%A")),
    };
    match dates.get(i) {
        Some(next) => Placement {
            index: Some(i),
            rule,
            reason: format!("published {stamp}, {why}: next session {next}"),
            local_date: day,
            skipped: false,
        },
        None => Placement {
            index: None,
            rule: Day0Rule::OutsideData,
            reason: format!("published {stamp}, {why}, and the prices end there"),
            local_date: day,
            skipped: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Weekdays from `a` to `b` except `closed`.
    fn days(a: &str, b: &str, closed: &[&str]) -> Vec<NaiveDate> {
        d(a).iter_days()
            .take_while(|x| *x <= d(b))
            .filter(|x| {
                !matches!(x.weekday(), Weekday::Sat | Weekday::Sun) && !closed.contains(&x.to_string().as_str())
            })
            .collect()
    }

    fn at(id: &str, s: &str) -> Event {
        let mut e = Event::on_date(id, d(&s[..10]));
        e.instant = Some(DateTime::parse_from_rfc3339(s).unwrap());
        e
    }

    fn day0(dates: &[NaiveDate], e: &Event, s: &Session) -> (NaiveDate, Day0Rule) {
        let p = place_day0(dates, e, s, NonTrading::Next);
        (dates[p.index.unwrap()], p.rule)
    }

    #[test]
    fn suffixes_choose_the_exchange() {
        assert_eq!(session_for("9988.HK", None, "").tz, chrono_tz::Asia::Hong_Kong);
        assert_eq!(session_for("600519.SS", None, "").close, hm((15, 0)));
        assert_eq!(session_for("BABA", None, "").tz, chrono_tz::America::New_York);
        let info = TickerInfo {
            ticker: "BABA".into(),
            exchange: Some("HKEX".into()),
            timezone: None,
            close: None,
            benchmark: None,
            currency: None,
            line: 2,
        };
        let s = session_for("BABA", Some(&info), "data/tickers.csv");
        assert_eq!((s.tz, s.source.as_str()), (chrono_tz::Asia::Hong_Kong, "data/tickers.csv line 2"));
    }

    #[test]
    fn news_at_1230_utc_is_day0_same_day_in_new_york_and_next_session_in_hong_kong() {
        let cal = days("2024-03-18", "2024-03-29", &[]);
        let e = at("wsj", "2024-03-22T12:30:00Z");
        assert_eq!(day0(&cal, &e, &session_for("BIDU", None, "")), (d("2024-03-22"), Day0Rule::BeforeClose));
        assert_eq!(day0(&cal, &e, &session_for("9888.HK", None, "")), (d("2024-03-25"), Day0Rule::AfterClose));
    }

    #[test]
    fn after_close_report_moves_to_next_session_in_winter_and_after_the_dst_change() {
        let ny = session_for("AAPL", None, "");
        let cal = days("2025-01-06", "2025-03-21", &["2025-01-20", "2025-02-17"]);
        assert_eq!(day0(&cal, &at("w", "2025-01-15T21:30:00Z"), &ny), (d("2025-01-16"), Day0Rule::AfterClose));
        // 20:30 UTC on 2025-03-10 is 16:30 EDT (after the close); a clock stuck on EST would
        // read 15:30 and keep day 0 on the 10th.
        assert_eq!(day0(&cal, &at("s", "2025-03-10T20:30:00Z"), &ny), (d("2025-03-11"), Day0Rule::AfterClose));
        assert_eq!(day0(&cal, &at("s", "2025-03-10T19:59:00Z"), &ny), (d("2025-03-10"), Day0Rule::BeforeClose));
        assert_eq!(
            day0(&cal, &at("c", "2025-03-10T20:00:00Z"), &ny),
            (d("2025-03-10"), Day0Rule::BeforeClose),
            "at the close counts"
        );
    }

    #[test]
    fn lunar_new_year_closure_moves_to_the_reopening_day() {
        let hk = session_for("9988.HK", None, "");
        let cal = days("2025-01-20", "2025-02-14", &["2025-01-29", "2025-01-30", "2025-01-31"]);
        assert_eq!(day0(&cal, &at("x", "2025-01-30T10:00:00+08:00"), &hk), (d("2025-02-03"), Day0Rule::Holiday));
        let e = Event::on_date("y", d("2025-01-30"));
        let p = place_day0(&cal, &e, &hk, NonTrading::Next);
        assert_eq!((cal[p.index.unwrap()], p.rule), (d("2025-02-03"), Day0Rule::Holiday));
        let p = place_day0(&cal, &e, &hk, NonTrading::Previous);
        assert_eq!(cal[p.index.unwrap()], d("2025-01-28"));
        let p = place_day0(&cal, &e, &hk, NonTrading::Skip);
        assert!(p.skipped && p.index.is_none());
    }

    #[test]
    fn weekend_news_is_day0_on_monday_everywhere() {
        let cal = days("2025-05-12", "2025-05-23", &[]);
        let e = Event::on_date("nyt", d("2025-05-17"));
        assert_eq!(place_day0(&cal, &e, &session_for("BABA", None, ""), NonTrading::Next).rule, Day0Rule::Weekend);
        assert_eq!(day0(&cal, &e, &session_for("9988.HK", None, "")).0, d("2025-05-19"));
        assert_eq!(
            day0(&cal, &at("n", "2025-05-17T12:00:00-04:00"), &session_for("9988.HK", None, "")),
            (d("2025-05-19"), Day0Rule::Weekend)
        );
    }

    #[test]
    fn events_outside_the_prices_have_no_day0() {
        let cal = days("2025-05-12", "2025-05-16", &[]);
        assert_eq!(
            place_day0(&cal, &Event::on_date("a", d("2025-05-20")), &session_for("X", None, ""), NonTrading::Next).rule,
            Day0Rule::OutsideData
        );
        // A Saturday right after the last Friday: --non-trading previous takes that Friday.
        let p =
            place_day0(&cal, &Event::on_date("s", d("2025-05-17")), &session_for("X", None, ""), NonTrading::Previous);
        assert_eq!((p.index, p.rule), (Some(4), Day0Rule::Weekend));
        let p = place_day0(&cal, &at("b", "2025-05-16T21:00:00Z"), &session_for("X", None, ""), NonTrading::Next);
        assert_eq!((p.index, p.rule), (None, Day0Rule::OutsideData));
    }
}

//! Factor files for the Fama–French and Carhart models: Ken French's daily files exactly as
//! downloaded (text preamble, a header whose first cell is empty, `YYYYMMDD` dates, values in
//! percent, a copyright footer), or a plain CSV `date,mkt_rf,smb,hml,rf,...` in decimals.
//! Several files (e.g. the 3-factor file and the momentum file) merge on date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::dates::date_column;
use super::numbers::{parse_number, shown, NumberFormat, MAX_FACTOR};
use super::table::{normalise_header, read_table_section, Section};
use crate::error::{Error, Result};

/// Factor returns in decimals by canonical name (`mkt_rf`, `smb`, `hml`, `rmw`, `cma`, `mom`,
/// `rf`), on a common set of dates.
#[derive(Debug, Clone, Default)]
pub struct FactorTable {
    pub dates: Vec<NaiveDate>,
    pub columns: BTreeMap<String, Vec<f64>>,
    /// (path, sha256, percent?) of each file read.
    pub files: Vec<(PathBuf, String, bool)>,
}

impl FactorTable {
    pub fn get(&self, name: &str) -> Option<&[f64]> {
        self.columns.get(name).map(|v| v.as_slice())
    }
}

/// Canonical name of a factor column header, or `None` when it is not a known factor.
pub fn canonical(h: &str) -> Option<&'static str> {
    let n = normalise_header(h).replace(' ', "");
    Some(match n.as_str() {
        "mkt-rf" | "mktrf" | "mkt_rf" | "market" | "mkt" | "marketexcess" => "mkt_rf",
        "smb" => "smb",
        "hml" => "hml",
        "rmw" => "rmw",
        "cma" => "cma",
        "mom" | "umd" | "wml" | "momentum" => "mom",
        "rf" | "riskfree" => "rf",
        _ => return None,
    })
}

fn is_french_header(l: &str) -> bool {
    l.trim_start().starts_with(',') && l.split(',').skip(1).any(|h| canonical(h).is_some())
}

fn is_french_data(l: &str) -> bool {
    let first = l.split(',').next().unwrap_or("").trim();
    first.len() == 8 && first.bytes().all(|b| b.is_ascii_digit())
}

/// Reads one factor file.
pub fn load_factor_file(path: &Path) -> Result<FactorTable> {
    let table =
        read_table_section(path, "factor", Some(Section { is_header: is_french_header, is_data: is_french_data }))?;
    // A Ken French header starts with an empty cell (`,Mkt-RF,SMB,...`); a plain file names `date`.
    let french = table.header.first().is_some_and(|h| h.is_empty());
    let date_col = if french { Some(0) } else { table.find_column(&["date", "day"]) }.ok_or_else(|| {
        Error::at(path, Some(1), None, format!("no date column in the header [{}]", table.header.join(", ")))
    })?;
    let cols: Vec<(usize, &'static str)> = table
        .header
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != date_col)
        .filter_map(|(i, h)| canonical(h).map(|c| (i, c)))
        .collect();
    if cols.is_empty() {
        return Err(Error::at(
            path,
            None,
            None,
            format!(
                "no factor column in the header [{}]; expected Mkt-RF, SMB, HML, RMW, CMA, Mom or RF",
                table.header.join(", ")
            ),
        ));
    }
    let scale = if french { 0.01 } else { 1.0 };
    let mut out = FactorTable { files: vec![(path.to_path_buf(), table.sha256.clone(), french)], ..Default::default() };
    for (_, c) in &cols {
        out.columns.insert(c.to_string(), Vec::with_capacity(table.len()));
    }
    let dates = date_column(
        path,
        &table.header[date_col],
        table.records().filter_map(|(r, line)| table.cell(r, date_col).map(|c| (line, c))),
        None,
    )?;
    for (r, line) in table.records() {
        let cell = table.cell(r, date_col).unwrap_or("");
        let d = dates.parse(cell).ok_or_else(|| {
            Error::at(
                path,
                Some(line),
                Some(&table.header[date_col]),
                format!("'{}' is not a date; expected {}", shown(cell), dates.forms()),
            )
        })?;
        if out.dates.last().is_some_and(|last| *last >= d) {
            return Err(Error::at(
                path,
                Some(line),
                Some(&table.header[date_col]),
                format!("date {d} is not after the previous row's"),
            ));
        }
        out.dates.push(d);
        for (i, c) in &cols {
            let v = table.cell(r, *i).unwrap_or("").trim();
            let point = NumberFormat { decimal: b'.', grouping: None };
            let x = match parse_number(v, point) {
                // A return of -100% or less is impossible; above +1000% (percent files) or +10
                // (decimal files) a daily factor is a corrupt cell.
                Ok(Some(x)) if x * scale > -1.0 && x * scale <= MAX_FACTOR / 100.0 => x,
                Ok(Some(x)) => {
                    let (lo, hi) = if french { ("-100", "1000 (percent)") } else { ("-1", "10 (decimal)") };
                    return Err(Error::at(
                        path,
                        Some(line),
                        Some(&table.header[*i]),
                        format!(
                            "factor return {x} is not plausible; expected a daily return above {lo} and at most {hi}"
                        ),
                    ));
                }
                _ => {
                    return Err(Error::at(
                        path,
                        Some(line),
                        Some(&table.header[*i]),
                        format!("'{}' is not a number; expected a finite factor return such as 0.25", shown(v)),
                    ))
                }
            };
            out.columns.get_mut(*c).unwrap().push(x * scale);
        }
    }
    Ok(out)
}

/// Reads and merges factor files on their common dates; a factor present in two files is
/// taken from the first.
pub fn load_factors(paths: &[PathBuf]) -> Result<FactorTable> {
    let mut merged: Option<FactorTable> = None;
    for p in paths {
        let t = load_factor_file(p)?;
        merged = Some(match merged {
            None => t,
            Some(m) => merge(m, t),
        });
    }
    merged.ok_or_else(|| Error::Usage("no factor file given".into()))
}

fn merge(a: FactorTable, b: FactorTable) -> FactorTable {
    let bpos: BTreeMap<NaiveDate, usize> = b.dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let keep: Vec<(usize, usize)> =
        a.dates.iter().enumerate().filter_map(|(i, d)| bpos.get(d).map(|j| (i, *j))).collect();
    let mut out = FactorTable { dates: keep.iter().map(|(i, _)| a.dates[*i]).collect(), ..Default::default() };
    for (name, v) in &a.columns {
        out.columns.insert(name.clone(), keep.iter().map(|(i, _)| v[*i]).collect());
    }
    for (name, v) in &b.columns {
        out.columns.entry(name.clone()).or_insert_with(|| keep.iter().map(|(_, j)| v[*j]).collect());
    }
    out.files = a.files.into_iter().chain(b.files).collect();
    out
}

/// The factor files in `<data>/factors/` (sorted by name), if that folder exists.
pub fn default_factor_files(data_dir: &Path) -> Vec<PathBuf> {
    let dir = data_dir.join("factors");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_ken_french_file_as_downloaded() {
        let dir = tempfile_dir();
        let p = dir.join("F-F_Research_Data_Factors_daily.CSV");
        std::fs::write(
            &p,
            "This file was created by using the 202604 CRSP database.\r\nSome text, with a comma.\r\n\r\n,Mkt-RF,SMB,HML,RF\r\n20250212,    0.01,   -0.40,    0.10,    0.02\r\n20250213,    1.10,    0.35,   -0.18,    0.02\r\n\r\nCopyright 2026 Eugene F. Fama and Kenneth R. French\r\n",
        )
        .unwrap();
        let t = load_factor_file(&p).unwrap();
        assert_eq!(t.dates.len(), 2);
        assert!((t.get("mkt_rf").unwrap()[1] - 0.011).abs() < 1e-15);
        assert!((t.get("hml").unwrap()[1] + 0.0018).abs() < 1e-15);
        let m = dir.join("mom.csv");
        std::fs::write(&m, "Momentum text\n\n,Mom\n20250213,   -0.50\n20250214,    0.20\n\nCopyright\n").unwrap();
        let merged = load_factors(&[p, m]).unwrap();
        assert_eq!(merged.dates, vec![NaiveDate::from_ymd_opt(2025, 2, 13).unwrap()]);
        assert!((merged.get("mom").unwrap()[0] + 0.005).abs() < 1e-15);
        assert!((merged.get("rf").unwrap()[0] - 0.0002).abs() < 1e-15);
    }

    /// A plain CSV in decimals is read as it is, without the /100 of Ken French files.
    #[test]
    fn reads_a_plain_decimal_factor_csv() {
        let p = tempfile_dir().join("plain.csv");
        std::fs::write(&p, "date,mkt_rf,smb,hml,rf\n2025-02-13,0.011,0.0035,-0.0018,0.0002\n").unwrap();
        let t = load_factor_file(&p).unwrap();
        assert!(!t.files[0].2, "not a percent file");
        assert!((t.get("mkt_rf").unwrap()[0] - 0.011).abs() < 1e-15);
        assert!((t.get("rf").unwrap()[0] - 0.0002).abs() < 1e-15);
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("es-factors-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

//! `--parquet`: `ar.parquet`, `car.parquet` and `aggregate.parquet` beside the CSVs, with the
//! same columns and values, dates as Date, integer columns (days, window bounds, counts) as
//! Int64 and every other number as Float64, for the tools that read large results fastest.
//! The values come from the CSV exporters' own text, re-encoded by the loading layer (the
//! only code that uses polars).

use std::path::Path;

use super::{csv, write_atomic_with, Exporter};
use crate::error::{Error, Result};
use crate::load::{write_parquet_from_csv, ColumnType};
use crate::summary::Summary;

/// The Parquet type of a column of `ar.csv`, `car.csv` or `aggregate.csv`.
pub fn column_type(name: &str) -> ColumnType {
    match name {
        "event_date" | "day0" | "date" => ColumnType::Date,
        "day" | "window_start" | "window_end" | "n_obs" | "n" => ColumnType::Integer,
        "event" | "ticker" | "kind" | "event_time" | "day0_rule" | "benchmark" | "status" | "reason" | "stars"
        | "headline" | "group" | "scope" | "test" | "dist" => ColumnType::Text,
        _ => ColumnType::Float,
    }
}

/// A CSV exporter's text of a study.
type CsvText = fn(&Summary) -> String;

pub struct ParquetExport;

impl Exporter for ParquetExport {
    fn files(&self) -> Vec<&'static str> {
        vec!["ar.parquet", "car.parquet", "aggregate.parquet"]
    }
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()> {
        let tables: [(&str, CsvText); 3] =
            [("ar.parquet", csv::ar_csv), ("car.parquet", csv::car_csv), ("aggregate.parquet", csv::aggregate_csv)];
        for (name, text) in tables {
            let path = dir.join(name);
            let text = text(summary);
            let mut failed = None;
            write_atomic_with(&path, |w| {
                write_parquet_from_csv(&text, column_type, w).map_err(|e| {
                    failed = Some(e.clone());
                    std::io::Error::other(e)
                })
            })
            .map_err(|e| match failed {
                Some(why) => Error::Output(format!("{}: cannot write Parquet: {why}", path.display())),
                None => e,
            })?;
        }
        Ok(())
    }
}

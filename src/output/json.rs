//! `summary.json`: the full [`Summary`], pretty-printed. `--format json` prints the same text.

use std::path::Path;

use super::{write_atomic, Exporter};
use crate::error::Result;
use crate::summary::Summary;

/// The JSON document of a study (without a timestamp, so reruns are byte-identical).
pub fn to_json(summary: &Summary) -> String {
    let mut s = serde_json::to_string_pretty(summary).expect("Summary is serialisable");
    s.push('\n');
    s
}

pub struct JsonExport;

impl Exporter for JsonExport {
    fn files(&self) -> Vec<&'static str> {
        vec!["summary.json"]
    }
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()> {
        write_atomic(&dir.join("summary.json"), to_json(summary).as_bytes())
    }
}

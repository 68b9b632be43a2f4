//! `summary.json`: the full [`Summary`], pretty-printed. `--format json` prints the same text.

use std::path::Path;

use super::{write_atomic_with, Exporter};
use crate::error::Result;
use crate::summary::Summary;

/// Writes the JSON document of a study (without a timestamp, so reruns are byte-identical),
/// streamed into the file.
pub struct JsonExport;

impl Exporter for JsonExport {
    fn files(&self) -> Vec<&'static str> {
        vec!["summary.json"]
    }
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()> {
        write_atomic_with(&dir.join("summary.json"), |w| {
            serde_json::to_writer_pretty(&mut *w, summary)?;
            std::io::Write::write_all(w, b"\n")
        })
    }
}

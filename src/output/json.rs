//! `summary.json`: the full [`Summary`], pretty-printed. `--format json` prints the same text.
//!
//! A large study's document is gigabytes, nearly all of it the events and the groups. They are
//! rendered side by side a chunk at a time, each element by serde_json's pretty printer and
//! indented to its depth, and written in order, so the text is exactly what
//! `serde_json::to_writer_pretty` writes for the whole summary (a test compares them) in a
//! fraction of the time, and never held whole.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

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
        write_atomic_with(&dir.join("summary.json"), |w| write_summary(summary, w))
    }
}

/// Elements of an array rendered together, side by side.
const CHUNK: usize = 1024;

/// The text of `value` pretty-printed at `depth` (two spaces a level), without the indentation
/// of its first line.
fn pretty_at(value: &impl Serialize, depth: usize, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut plain = Vec::new();
    serde_json::to_writer_pretty(&mut plain, value)?;
    // JSON strings hold no raw newline: every newline in the text is the printer's own.
    out.reserve(plain.len() + plain.len() / 8);
    let mut rest = plain.as_slice();
    while let Some(i) = rest.iter().position(|&b| b == b'\n') {
        out.extend_from_slice(&rest[..=i]);
        out.resize(out.len() + 2 * depth, b' ');
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    Ok(())
}

/// A field of the top-level object: `"name": value`, after a comma unless it is the first.
fn field(w: &mut impl Write, first: &mut bool, name: &str, value: &impl Serialize) -> std::io::Result<()> {
    begin_field(w, first, name)?;
    let mut text = Vec::new();
    pretty_at(value, 1, &mut text)?;
    w.write_all(&text)
}

fn begin_field(w: &mut impl Write, first: &mut bool, name: &str) -> std::io::Result<()> {
    w.write_all(if *first { b"\n  " } else { b",\n  " })?;
    *first = false;
    serde_json::to_writer(&mut *w, name)?;
    w.write_all(b": ")
}

/// A field holding a long array, its elements rendered a chunk at a time on all cores.
fn array_field<T: Serialize + Sync>(
    w: &mut impl Write,
    first: &mut bool,
    name: &str,
    items: &[T],
) -> std::io::Result<()> {
    use rayon::prelude::*;
    begin_field(w, first, name)?;
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for chunk in items.chunks(CHUNK) {
        let texts: Vec<std::io::Result<Vec<u8>>> = chunk
            .par_iter()
            .map(|item| {
                let mut t = b"\n    ".to_vec();
                pretty_at(item, 2, &mut t)?;
                Ok(t)
            })
            .collect();
        for (i, t) in texts.into_iter().enumerate() {
            let t = t?;
            // Elements after the first are preceded by a comma.
            let lead = usize::from(i == 0 && std::ptr::eq(chunk.as_ptr(), items.as_ptr()));
            if lead == 0 {
                w.write_all(b",")?;
            }
            w.write_all(&t)?;
        }
    }
    w.write_all(b"\n  ]")
}

/// Streams the document of `summary` into `w`: the text of
/// `serde_json::to_writer_pretty(summary)` and a newline.
pub fn write_summary(summary: &Summary, w: &mut impl Write) -> std::io::Result<()> {
    // Every field, so that a new one cannot be left out unnoticed; in declaration order (the
    // order serde writes them).
    let Summary {
        tool,
        study,
        study_hash,
        config,
        conventions,
        inputs,
        data_notice,
        notes,
        warnings,
        events,
        aggregate,
        exclusions,
        claims,
        plot_prices: _,
        scatter_events: _,
        scatter_tickers: _,
    } = summary;
    let first = &mut true;
    w.write_all(b"{")?;
    field(w, first, "tool", tool)?;
    field(w, first, "study", study)?;
    field(w, first, "study_hash", study_hash)?;
    field(w, first, "config", config)?;
    field(w, first, "conventions", conventions)?;
    field(w, first, "inputs", inputs)?;
    if let Some(n) = data_notice {
        field(w, first, "data_notice", n)?;
    }
    field(w, first, "notes", notes)?;
    field(w, first, "warnings", warnings)?;
    array_field(w, first, "events", events)?;
    array_field(w, first, "aggregate", aggregate)?;
    field(w, first, "exclusions", exclusions)?;
    field(w, first, "claims", claims)?;
    w.write_all(b"\n}\n")
}

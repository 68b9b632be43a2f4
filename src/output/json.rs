//! `summary.json`: the full [`Summary`], pretty-printed. `--format json` prints the same text.
//!
//! The layout is serde_json's pretty printing (two spaces a level), except that in `events` and
//! `aggregate` the innermost records are written on one line each: an AR row, a CAR row, a
//! model's coefficients, a test's outcome, a window's `[start, end]`. A large study's document
//! is gigabytes of such records; one per line is what a reader scans, and the whitespace was
//! 40% of the bytes.
//!
//! The events and the groups, nearly all of the document, are rendered side by side a chunk at
//! a time and written in order, never held whole.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::text::Text;
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

/// Pieces of an array rendered side by side, at least: a chunk is this many pieces, or two per
/// thread if there are more threads. Each piece's buffer grows to its largest piece and is
/// touched for the first time as it grows, so the pieces are as few as keep the threads busy
/// (with 64, summary.json's buffers were a quarter of a 5,000-event study's page faults).
const MIN_PIECES: usize = 8;
/// Elements of a chunk rendered one after the other into one buffer.
const PIECE: usize = 16;

/// serde_json's pretty layout, except that an array opened at depth `flat_arrays` or deeper,
/// or an object opened at `flat_objects` or deeper, is written on one line
/// (`{"day": -1, "ar": 0.01}`, `[0, 1]`). Depth 1 is the top-level object's.
struct Layered {
    depth: usize,
    flat_arrays: usize,
    flat_objects: usize,
    /// The depth from which the current containers are flat (usize::MAX: none).
    flat_at: usize,
    has_value: bool,
}

impl Layered {
    fn flat(&self) -> bool {
        self.depth >= self.flat_at
    }
    fn begin<W: ?Sized + Write>(&mut self, w: &mut W, open: &[u8], flat_from: usize) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        if self.depth >= flat_from && self.flat_at == usize::MAX {
            self.flat_at = self.depth;
        }
        w.write_all(open)
    }
    fn end<W: ?Sized + Write>(&mut self, w: &mut W, close: &[u8]) -> std::io::Result<()> {
        let was_flat = self.flat();
        self.depth -= 1;
        if self.depth < self.flat_at {
            self.flat_at = usize::MAX;
        }
        if self.has_value && !was_flat {
            newline(w, self.depth)?;
        }
        w.write_all(close)
    }
    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if self.flat() {
            return if first { Ok(()) } else { w.write_all(b", ") };
        }
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }
}

fn newline<W: ?Sized + Write>(w: &mut W, depth: usize) -> std::io::Result<()> {
    w.write_all(b"\n")?;
    indent(w, depth)
}

fn indent<W: ?Sized + Write>(w: &mut W, depth: usize) -> std::io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = 2 * depth;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

impl serde_json::ser::Formatter for Layered {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        let from = self.flat_arrays;
        self.begin(w, b"[", from)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        let from = self.flat_objects;
        self.begin(w, b"{", from)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Serialises `value` into `w` as if it stood at `depth` (its first line not indented).
fn write_at(
    w: &mut impl Write,
    value: &(impl Serialize + ?Sized),
    depth: usize,
    flat: (usize, usize),
) -> std::io::Result<()> {
    let layout = Layered { depth, flat_arrays: flat.0, flat_objects: flat.1, flat_at: usize::MAX, has_value: false };
    value.serialize(&mut serde_json::Serializer::with_formatter(w, layout))?;
    Ok(())
}

/// Never flat: serde_json's pretty layout.
const PRETTY: (usize, usize) = (usize::MAX, usize::MAX);

/// A field of the top-level object: `"name": value`, after a comma unless it is the first.
fn field(w: &mut impl Write, first: &mut bool, name: &str, value: &impl Serialize) -> std::io::Result<()> {
    begin_field(w, first, name)?;
    write_at(w, value, 1, PRETTY)
}

fn begin_field(w: &mut impl Write, first: &mut bool, name: &str) -> std::io::Result<()> {
    w.write_all(if *first { b"\n  " } else { b",\n  " })?;
    *first = false;
    serde_json::to_writer(&mut *w, name)?;
    w.write_all(b": ")
}

/// One buffer per piece of a chunk, reused from chunk to chunk and from one array to the next
/// (grown a few times, never zeroed or copied again).
struct Pieces(Vec<Text>);

impl Pieces {
    fn new() -> Pieces {
        let n = MIN_PIECES.max(2 * rayon::current_num_threads());
        Pieces((0..n).map(|_| Text::default()).collect())
    }
}

/// A field holding a long array, its elements rendered a chunk at a time on all cores (a piece
/// of [`PIECE`] elements into one [`Text`] buffer), with arrays from depth `flat.0` and objects
/// from depth `flat.1` on one line.
fn array_field<T: Serialize + Sync>(
    w: &mut impl Write,
    first: &mut bool,
    name: &str,
    items: &[T],
    flat: (usize, usize),
    texts: &mut Pieces,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    begin_field(w, first, name)?;
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for (c, chunk) in items.chunks(PIECE * texts.0.len()).enumerate() {
        let rendered: Vec<std::io::Result<()>> = texts
            .0
            .par_iter_mut()
            .zip(chunk.par_chunks(PIECE))
            .enumerate()
            .map(|(p, (t, piece))| {
                t.clear();
                for (i, item) in piece.iter().enumerate() {
                    // Every element but the very first is preceded by a comma.
                    if c > 0 || p > 0 || i > 0 {
                        t.put(b",");
                    }
                    t.put(b"\n    ");
                    write_at(t, item, 2, flat)?;
                }
                Ok(())
            })
            .collect();
        for (t, r) in texts.0.iter().zip(rendered) {
            r?;
            w.write_all(t.as_bytes())?;
        }
    }
    w.write_all(b"\n  ]")
}

/// Streams the document of `summary` into `w`, and a newline.
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
    // Events (depth 3): AR and CAR rows and coefficients (5), windows (6) on one line.
    let texts = &mut Pieces::new();
    array_field(w, first, "events", events, (5, 5), texts)?;
    // Groups (3): a day's or window's tests (6) one per line, each outcome (7) and window (6)
    // on one.
    array_field(w, first, "aggregate", aggregate, (6, 7), texts)?;
    field(w, first, "exclusions", exclusions)?;
    field(w, first, "claims", claims)?;
    w.write_all(b"\n}\n")
}

//! Reads a delimited text file into a grid of strings that remembers the 1-based line number
//! of every record, so that every later parse error can point at the exact line an editor shows.
//!
//! polars does the tokenising (quotes, separators, CRLF); this module handles what real exports
//! add around the CSV itself: a UTF-8 byte-order mark, blank lines, and the 3-line header that
//! yfinance writes (`Price,Close,...` / `Ticker,...` / `Date,,,`).
//!
//! One case is split here instead: a file of ordinary size with no quote at all (every
//! per-ticker price export). Its cells are the text between separators, so the pass that checks
//! each record's cells against the header also records where they are, and the cells stay in
//! the file's own text. A test holds this split to polars' cells on generated files.

use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A CSV file as header names plus string cells, each record tagged with its line number.
/// The cells stay in polars' string columns (one buffer per column, no string per cell), or in
/// the file's text, so a panel of millions of rows costs little more than the file itself.
#[derive(Debug, Clone)]
pub struct TextTable {
    pub header: Vec<String>,
    /// The cells.
    grid: Grid,
    /// The 1-based line number of each record in the file.
    lines: Lines,
    /// SHA-256 of the file's bytes, as reported in `summary.json`.
    pub sha256: String,
    /// The field separator detected on the header line: `,`, `;` or tab.
    pub separator: u8,
    /// Columns of a Parquet file left out as `name (type)`, of types this build does not read.
    pub unread: Vec<String>,
}

impl TextTable {
    /// The number of records.
    pub fn len(&self) -> usize {
        match &self.lines {
            Lines::From { count, .. } => *count,
            Lines::Listed(l) => l.len(),
        }
    }

    /// Whether the file has no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The 1-based line number of record `row` in the file.
    pub fn line(&self, row: usize) -> usize {
        match &self.lines {
            Lines::From { first, .. } => first + row,
            Lines::Listed(l) => l[row],
        }
    }

    /// The cell of record `row`, column `col`; `None` for an empty or blank cell, or a column
    /// the record does not reach.
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        // A cell starting with a visible ASCII character is not blank; others are trimmed
        // (Unicode spaces such as U+00A0 count as blank). A released column has no cells.
        let text = match &self.grid {
            Grid::Columns(columns) => {
                let column = columns.get(col)?;
                if row >= column.len() {
                    return None;
                }
                column.get(row)?
            }
            Grid::Spans { text, width, spans } => {
                if col >= *width {
                    return None;
                }
                let &(from, to) = spans.get(row * width + col)?;
                &text[from as usize..to as usize]
            }
        };
        Some(text).filter(|s| s.bytes().next().is_some_and(|b| b.is_ascii_graphic()) || !s.trim().is_empty())
    }

    /// Frees every column but those of `keep` (their cells read as empty from then on): a long
    /// panel keeps only its dates and prices once its rows are indexed by ticker. A file split
    /// here (at most [`MAX_SPLIT`]) keeps its text; only its polars columns are freed.
    pub fn release_columns_except(&mut self, keep: &[usize]) {
        match &mut self.grid {
            Grid::Columns(columns) => {
                for (c, column) in columns.iter_mut().enumerate() {
                    if !keep.contains(&c) {
                        *column = StringChunked::default();
                    }
                }
            }
            Grid::Spans { width, spans, .. } => {
                for record in spans.chunks_mut(*width) {
                    for (c, span) in record.iter_mut().enumerate() {
                        if !keep.contains(&c) {
                            *span = (0, 0);
                        }
                    }
                }
            }
        }
    }

    /// Each record's index with its line number.
    pub fn records(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.len()).map(|i| (i, self.line(i)))
    }

    /// European exports separate fields with `;` and write decimals with a comma.
    pub fn decimal_comma(&self) -> bool {
        self.separator == b';'
    }

    /// Index of the first column whose trimmed, lower-cased name is one of `names`.
    pub fn find_column(&self, names: &[&str]) -> Option<usize> {
        for want in names {
            if let Some(i) = self.header.iter().position(|h| normalise_header(h) == *want) {
                return Some(i);
            }
        }
        None
    }
}

/// Where the cells of a table are.
#[derive(Debug, Clone)]
enum Grid {
    /// One polars string column per header name, each in a single chunk.
    Columns(Vec<StringChunked>),
    /// The file's text and the byte range of each record's cells in it, record by record, `width`
    /// (the header's length) per record; a cell the record does not reach is the empty range.
    Spans { text: String, width: usize, spans: Vec<(u32, u32)> },
}

/// The largest file whose cells [`split_plain`] finds (its byte offsets are `u32`); a larger one
/// (a panel) goes to polars, whose columns it then frees column by column.
const MAX_SPLIT: usize = 64 << 20;

/// Where the records are in the file: on consecutive lines (the usual file, with no blank
/// line), or on the lines listed.
#[derive(Debug, Clone)]
enum Lines {
    From { first: usize, count: usize },
    Listed(Vec<usize>),
}

/// Lower-case, trimmed, with spaces and underscores folded, for matching header names.
pub fn normalise_header(h: &str) -> String {
    h.trim().trim_matches('"').to_ascii_lowercase().replace(['_', '-'], " ")
}

/// Hex SHA-256 of a byte slice.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads `path` into a [`TextTable`]; `what` names the kind of file in error messages.
pub fn read_table(path: &Path, what: &str) -> Result<TextTable> {
    read_table_section(path, what, None)
}

/// Where a table sits inside a file with text around it (a Ken French factor file: a text
/// preamble, the header, data rows, then a copyright footer or another section). A file with
/// no line matching `is_header` is read as a plain table, header first.
#[derive(Clone, Copy)]
pub struct Section {
    /// True for the header line.
    pub is_header: fn(&str) -> bool,
    /// True for a data line; the table ends at the first non-blank line that is not.
    pub is_data: fn(&str) -> bool,
}

/// Like [`read_table`], restricted to a [`Section`] when one is given.
pub fn read_table_section(path: &Path, what: &str, section: Option<Section>) -> Result<TextTable> {
    let (bytes, sha256) = read_text_file(path, what)?;
    let file = String::from_utf8(bytes).expect("checked UTF-8");
    // A byte-order mark, or several (a file re-saved with one added each time): the first
    // header name would otherwise carry the invisible rest and match no column.
    let text = file.trim_start_matches('\u{feff}');

    // The usual file: a header on line 1, then one record per line with no blank line; the
    // line of record i is i + 2. Without a quote it is split here, otherwise its bytes go to
    // polars as they are.
    if section.is_none() {
        if let Some((header_line, body)) = header_and_body(text) {
            let separator = detect_separator(header_line);
            check_header_quotes(path, header_line, separator)?;
            let header = split_header(header_line, separator);
            if header.first().map(|h| normalise_header(h)) != Some("price".into()) {
                check_header(path, &header)?;
                let strict = strict_rows(what);
                let at = body.as_ptr() as usize - file.as_ptr() as usize;
                let table = |header: Vec<String>, grid, count, sha256| TextTable {
                    header,
                    grid,
                    lines: Lines::From { first: 2, count },
                    sha256,
                    separator,
                    unread: vec![],
                };
                if let Some((spans, count)) = split_plain(path, body, at, &header, separator, strict)? {
                    let width = header.len();
                    return Ok(table(header, Grid::Spans { text: file, width, spans }, count, sha256));
                }
                if let Some(count) = plain_lines(body) {
                    check_records(path, body, &header, separator, strict, |k| k + 2)?;
                    let columns = if count == 0 {
                        vec![]
                    } else {
                        parse_cells(path, body.as_bytes(), header.len(), separator, count)?
                    };
                    return Ok(table(header, Grid::Columns(columns), count, sha256));
                }
            }
        }
    }
    read_listed(path, what, text, section, sha256)
}

/// The bytes of the `what` file at `path`, expected in `format` (`CSV`, `Parquet`).
fn read_bytes(path: &Path, what: &str, format: &str) -> Result<Vec<u8>> {
    // A directory is told apart only when the read fails (one `stat` less per file of a folder
    // of thousands).
    std::fs::read(path).map_err(|e| {
        if path.is_dir() {
            Error::at(path, None, None, format!("is a directory, expected a {what} {format} file"))
        } else if e.kind() == std::io::ErrorKind::NotFound {
            Error::at(path, None, None, format!("no such file (expected a {what} {format} file)"))
        } else {
            Error::at(path, None, None, format!("cannot read the file: {e}"))
        }
    })
}

/// From this size, a file's checksum and its UTF-8 check run side by side.
const SIDE_BY_SIDE: usize = 8 << 20;

/// The bytes of a text file (UTF-8 checked) and their SHA-256.
fn read_text_file(path: &Path, what: &str) -> Result<(Vec<u8>, String)> {
    let bytes = read_bytes(path, what, "CSV")?;
    let utf8 = || {
        std::str::from_utf8(&bytes).map(|_| ()).map_err(|e| {
            Error::at(path, Some(line_of_offset(&bytes, e.valid_up_to())), None, "the file is not UTF-8 text")
        })
    };
    // The checksum of a large file (a panel) is taken beside the checks below. A small one's
    // is not worth a hand-off: the thread that reads it would wait for the one that took the
    // checksum, once per file of a folder of thousands.
    let (sha256, text) = if bytes.len() >= SIDE_BY_SIDE {
        rayon::join(|| sha256_hex(&bytes), utf8)
    } else {
        (sha256_hex(&bytes), utf8())
    };
    text?;
    Ok((bytes, sha256))
}

/// A file read line by line: blank lines, a section of a longer file, or the yfinance
/// 3-line header. Each record keeps the number of its line.
fn read_listed(path: &Path, what: &str, text: &str, section: Option<Section>, sha256: String) -> Result<TextTable> {
    // Non-blank lines with their 1-based numbers.
    let mut numbered: Vec<(usize, &str)> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    if let Some(sec) = section {
        if let Some(start) = numbered.iter().position(|(_, l)| (sec.is_header)(l)) {
            let end = numbered[start + 1..]
                .iter()
                .position(|(_, l)| !(sec.is_data)(l))
                .map(|e| start + 1 + e)
                .unwrap_or(numbered.len());
            numbered = numbered[start..end].to_vec();
        }
    }
    if numbered.is_empty() {
        return Err(Error::at(
            path,
            None,
            None,
            format!("the file is empty (expected a header line and data rows of a {what} file)"),
        ));
    }
    let (_, header_line) = numbered.remove(0);
    let separator = detect_separator(header_line);
    check_header_quotes(path, header_line, separator)?;
    let mut header = split_header(header_line, separator);

    // yfinance `download(...).to_csv()`: `Price,Close,...` then `Ticker,AAPL,...` then `Date,,,`.
    if header.first().map(|h| normalise_header(h)) == Some("price".into()) {
        let mut dropped = 0;
        while let Some((_, l)) = numbered.first() {
            let first = l.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
            if (first == "ticker" || first == "date") && dropped < 2 {
                numbered.remove(0);
                dropped += 1;
            } else {
                break;
            }
        }
        if dropped > 0 {
            header[0] = "Date".to_string();
        }
    }
    if numbered.is_empty() {
        return Ok(TextTable {
            header,
            grid: Grid::Columns(vec![]),
            lines: Lines::Listed(vec![]),
            sha256,
            separator,
            unread: vec![],
        });
    }

    check_header(path, &header)?;
    let mut body = String::with_capacity(text.len());
    for (_, l) in &numbered {
        body.push_str(l);
        body.push('\n');
    }
    check_records(path, &body, &header, separator, strict_rows(what), |k| numbered[k].0)?;
    let columns = parse_cells(path, body.as_bytes(), header.len(), separator, numbered.len())?;
    let lines = numbered.iter().map(|(n, _)| *n).collect();
    Ok(TextTable {
        header,
        grid: Grid::Columns(columns),
        lines: Lines::Listed(lines),
        sha256,
        separator,
        unread: vec![],
    })
}

/// The header line and the rest of a file whose first line is not blank; `None` otherwise.
fn header_and_body(text: &str) -> Option<(&str, &str)> {
    let (first, body) = text.split_once('\n')?;
    let header = first.strip_suffix('\r').unwrap_or(first);
    (!header.trim().is_empty()).then_some((header, body))
}

/// The number of lines of the body of a file (after its header) that has no blank line and
/// no white space but spaces, tabs and carriage returns; `None` otherwise.
fn plain_lines(body: &str) -> Option<usize> {
    // One pass over the bytes: a line is blank when it holds nothing but spaces, tabs or a CR.
    // Other white space (form feeds, Unicode spaces) sends the file to the line-by-line path,
    // which trims as `str::trim` does.
    let (mut lines, mut filled) = (0, false);
    for &b in body.as_bytes() {
        match b {
            b'\n' if !filled => return None,
            b'\n' => {
                lines += 1;
                filled = false;
            }
            b' ' | b'\t' | b'\r' => {}
            0x0b | 0x0c | 0x80.. => return None,
            _ => filled = true,
        }
    }
    if filled {
        lines += 1; // the last line has no newline
    } else if !body.is_empty() && !body.ends_with('\n') {
        return None; // a blank last line without a newline
    }
    Some(lines)
}

/// Whether rows of a `what` file must have exactly the header's cells: files people write by
/// hand (events, claims); exports (prices, panels) may end rows with an empty cell.
fn strict_rows(what: &str) -> bool {
    matches!(what, "events" | "claims" | "tickers")
}

/// The most columns a header may have. A wide panel of more tickers belongs in the long layout
/// (`date,ticker,close`), which has no such limit.
pub const MAX_COLUMNS: usize = 20_000;

/// Refuses a header of more than [`MAX_COLUMNS`] names before anything is allocated per column.
fn check_header(path: &Path, header: &[String]) -> Result<()> {
    if header.len() > MAX_COLUMNS {
        return Err(Error::at(
            path,
            Some(1),
            None,
            format!(
                "the header has {} columns; at most {MAX_COLUMNS} are read (a panel of more tickers goes in the long layout: date,ticker,close)",
                header.len()
            ),
        ));
    }
    Ok(())
}

/// Checks every record of `body` against the header before polars reads it: a quote left open
/// at the end of a line (a field spanning lines, or a quote never closed) and a record with more
/// or fewer cells than the header are errors naming the line. Empty cells after the last
/// header name (a trailing separator) are allowed. `line_of(k)` is the file line of body line k.
///
/// A quote opens a quoted field only at the start of a field, as RFC 4180 and polars read it;
/// inside a quoted field `""` is a quote character.
fn check_records(
    path: &Path,
    body: &str,
    header: &[String],
    separator: u8,
    strict: bool,
    line_of: impl Fn(usize) -> usize,
) -> Result<()> {
    let rule = CellRule::new(header, separator, strict);
    for (k, raw) in body.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let (cells, filled, quotes) = count_cells(line.as_bytes(), separator);
        let n = line_of(k);
        check_quotes(path, n, header, line, separator, quotes)?;
        rule.check(path, n, cells, filled)?;
    }
    Ok(())
}

/// The error for line `n` of `path` when its quotes do not pair up ([`count_cells`]), naming the
/// column (from `header`, when it has one there) and the cell.
fn check_quotes(path: &Path, n: usize, header: &[String], line: &str, separator: u8, quotes: Quotes) -> Result<()> {
    let (cell, from, what) = match quotes {
        Quotes::Paired => return Ok(()),
        Quotes::Open => {
            return Err(Error::at(
                path,
                Some(n),
                None,
                "a quoted field opens on this line and is not closed on it; a quote inside a field is written \"\" and quoted fields may not span lines",
            ))
        }
        Quotes::Stray { cell, from } => (cell, from, "holds a quote character without its pair"),
        Quotes::Trailing { cell, from } => (cell, from, "has text (or a space) after the quote that closes it"),
    };
    let column = header.get(cell).map(|h| h.trim()).filter(|h| !h.is_empty());
    let text = line[from..].split(separator as char).next().unwrap_or("").trim();
    Err(Error::at(
        path,
        Some(n),
        column,
        format!(
            "the cell '{}' {what}; a cell holding a quote or the separator is written in quotes, the opening quote first in the cell, with a quote inside it doubled (\"a \"\"b\"\" c\")",
            text.chars().take(60).collect::<String>()
        ),
    ))
}

/// How many cells a record may have: the rule of [`check_records`].
struct CellRule<'h> {
    header: &'h [String],
    /// The header's cells up to its last non-empty name: a trailing separator adds none.
    wanted: usize,
    separator: u8,
    strict: bool,
}

impl<'h> CellRule<'h> {
    fn new(header: &'h [String], separator: u8, strict: bool) -> Self {
        let wanted = header.iter().rposition(|h| !h.trim().is_empty()).map_or(header.len(), |i| i + 1);
        CellRule { header, wanted, separator, strict }
    }

    /// Refuses line `n` when its `cells` (`filled` up to its last non-blank one) do not fit
    /// the header.
    fn check(&self, path: &Path, n: usize, cells: usize, filled: usize) -> Result<()> {
        let CellRule { header, wanted, separator, strict } = *self;
        if header.len() == 1 && filled > 1 {
            return Err(Error::at(
                path,
                Some(1),
                None,
                format!(
                    "line 1 is text ('{}'), not a header of columns: line {n} has {cells} cells; expected a header line naming the columns (a Ken French factor file goes to --factors)",
                    header[0].chars().take(60).collect::<String>()
                ),
            ));
        }
        // Hand-written files (events, claims) get no extra cell at all: an unquoted comma in a
        // headline followed by an empty url would otherwise shift the fields silently.
        let too_many = if strict { cells > header.len() } else { filled > wanted.max(header.len()) };
        if too_many || cells < wanted {
            let sep = match separator {
                b'\t' => "tab".to_string(),
                s => format!("'{}'", s as char),
            };
            let names: Vec<&str> = header.iter().map(|h| h.as_str()).take(8).collect();
            let more = if header.len() > 8 { ", ..." } else { "" };
            return Err(Error::at(
                path,
                Some(n),
                None,
                format!(
                    "the row has {cells} cells, the header has {wanted} ({}{more}); {}",
                    names.join(", "),
                    if too_many {
                        format!("a cell holding the separator {sep} must be quoted")
                    } else {
                        format!("each row needs a cell (empty if need be) for every column, separated by {sep}")
                    }
                ),
            ));
        }
        Ok(())
    }
}

/// What [`split_plain`] finds: each record's cells as byte ranges, and the number of records.
type Split = (Vec<(u32, u32)>, usize);

/// The record [`split_plain`] is in: its cells so far, how many up to its last non-blank one
/// (spaces and tabs are blank, as in `count_cells`), whether the open cell is blank so far, and
/// where it starts.
struct Splitting {
    cells: usize,
    filled: usize,
    blank: bool,
    from: usize,
    /// Whether the line has a byte other than a space, a tab or a carriage return: a line
    /// without one is blank (a line of tabs in a tab-separated file too).
    visible: bool,
}

impl Splitting {
    fn new(from: usize) -> Self {
        Splitting { cells: 0, filled: 0, blank: true, from, visible: false }
    }

    /// Ends the open cell at `to`: its range (offset by `at`) joins `spans` when the header
    /// has a column for it.
    fn close_cell(&mut self, spans: &mut Vec<(u32, u32)>, width: usize, at: usize, to: usize) {
        if self.cells < width {
            spans.push(((at + self.from) as u32, (at + to) as u32));
        }
        self.cells += 1;
        if !self.blank {
            self.filled = self.cells;
        }
    }
}

/// The cells of a plain body (see [`plain_lines`]: no blank line, ASCII) with no quote and no
/// carriage return but before a line feed, as byte ranges of the file (`at` is the body's
/// offset in it), with the number of records, checked line by line as [`check_records`]
/// checks them. `None` when the body is not plain, has a quote or a lone carriage return, or
/// is beyond [`MAX_SPLIT`]: polars tokenises it, or the line-by-line path reads it.
///
/// A record refused before the first blank line has the line number the line-by-line path
/// gives it, so the error is the same whichever path would have read the file.
///
/// The cells are those polars reads with this module's options: the text between separators
/// as it is (not trimmed), cells beyond the header's dropped (the check allows only empty ones
/// there), cells a record does not reach empty.
fn split_plain(
    path: &Path,
    body: &str,
    at: usize,
    header: &[String],
    separator: u8,
    strict: bool,
) -> Result<Option<Split>> {
    let bytes = body.as_bytes();
    if at + bytes.len() > MAX_SPLIT || bytes.contains(&b'"') {
        return Ok(None);
    }
    let body = Body::new(path, bytes, at, header, separator, strict);
    if separator != b'\t' && bare(bytes) {
        return split_bare(&body);
    }
    split_spaced(&body)
}

/// What both splits read: the body's file (for errors), its bytes and their offset in the
/// file's text, the separator, and the header's width and rule for records.
struct Body<'a> {
    path: &'a Path,
    bytes: &'a [u8],
    at: usize,
    separator: u8,
    width: usize,
    rule: CellRule<'a>,
}

impl<'a> Body<'a> {
    fn new(path: &'a Path, bytes: &'a [u8], at: usize, header: &'a [String], separator: u8, strict: bool) -> Self {
        let rule = CellRule::new(header, separator, strict);
        Body { path, bytes, at, separator, width: header.len(), rule }
    }

    /// Room for the cells of records of about ten bytes per cell (a file of dates and prices).
    fn spans(&self) -> Vec<(u32, u32)> {
        Vec::with_capacity(self.bytes.len() / 10 + self.width)
    }
}

/// Whether `bytes` hold no white space but line feeds (no space, tab, carriage return, vertical
/// tab or form feed) and no byte beyond ASCII: then a cell is blank exactly when it is empty.
fn bare(bytes: &[u8]) -> bool {
    // A fold without early exit over each block, which the compiler turns into vector compares.
    bytes.chunks(256).all(|block| {
        !block.iter().fold(false, |seen, &b| seen | matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c | 0x80..))
    })
}

/// [`split_plain`] of a [`bare`] body separated by `,` or `;`: a cell is blank exactly when it
/// is empty and a line exactly when it has no byte, so only the separators and line feeds need
/// finding, eight bytes at a time ([`each_delimiter`]). The cells and errors are those of
/// [`split_spaced`].
fn split_bare(body: &Body) -> Result<Option<Split>> {
    let Body { path, bytes, at, separator, width, ref rule } = *body;
    let mut spans = body.spans();
    // The record being split, and the records done.
    let (mut r, mut k) = (Splitting::new(0), 0);
    let mut line_from = 0;
    let mut outcome = Ok(true);
    each_delimiter(bytes, separator, |i, newline| {
        if newline && i == line_from {
            outcome = Ok(false); // a blank line
            return false;
        }
        r.blank = i == r.from;
        r.close_cell(&mut spans, width, at, i);
        r.from = i + 1;
        if newline {
            pad(&mut spans, width, r.cells);
            if let Err(e) = rule.check(path, k + 2, r.cells, r.filled) {
                outcome = Err(e);
                return false;
            }
            (r, k, line_from) = (Splitting::new(i + 1), k + 1, i + 1);
        }
        true
    });
    if !outcome? {
        return Ok(None);
    }
    if bytes.last().is_some_and(|&b| b != b'\n') {
        // The last record, without a newline.
        r.blank = bytes.len() == r.from;
        r.close_cell(&mut spans, width, at, bytes.len());
        pad(&mut spans, width, r.cells);
        rule.check(path, k + 2, r.cells, r.filled)?;
        k += 1;
    }
    Ok(Some((spans, k)))
}

/// Empty cells for the columns a record of `cells` cells does not reach.
fn pad(spans: &mut Vec<(u32, u32)>, width: usize, cells: usize) {
    spans.extend(std::iter::repeat_n((0, 0), width.saturating_sub(cells)));
}

/// Calls `f(i, newline)` at each separator and line feed of `bytes`, in order, while `f`
/// returns true. Eight bytes are compared at once: a byte of `w ^ [b; 8]` is zero where the
/// word `w` holds `b` ([`zero_bytes`]).
fn each_delimiter(bytes: &[u8], separator: u8, mut f: impl FnMut(usize, bool) -> bool) {
    let (seps, newlines) = (u64::from_ne_bytes([separator; 8]), u64::from_ne_bytes([b'\n'; 8]));
    let mut words = bytes.chunks_exact(8);
    for (w, word) in (&mut words).enumerate() {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let ends = zero_bytes(word ^ newlines);
        let mut found = ends | zero_bytes(word ^ seps);
        while found != 0 {
            let bit = found.trailing_zeros();
            if !f(w * 8 + bit as usize / 8, ends >> bit & 1 == 1) {
                return;
            }
            found &= found - 1;
        }
    }
    let base = bytes.len() - words.remainder().len();
    for (j, &b) in words.remainder().iter().enumerate() {
        if (b == separator || b == b'\n') && !f(base + j, b == b'\n') {
            return;
        }
    }
}

/// The high bit of each byte of `x` that is zero, and no other bit: `(x & 0x7f) + 0x7f` sets a
/// byte's high bit when its low seven bits are not all zero, without a carry into the next
/// byte, and `| x` when its own high bit is set.
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// [`split_plain`] of any body, byte by byte.
fn split_spaced(body: &Body) -> Result<Option<Split>> {
    let Body { path, bytes, at, separator, width, ref rule } = *body;
    let mut spans = body.spans();
    // One pass over the bytes.
    let mut r = Splitting::new(0);
    let mut k = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == separator {
            r.close_cell(&mut spans, width, at, i);
            (r.from, r.blank) = (i + 1, true);
            r.visible |= b != b'\t';
        } else if b == b'\n' {
            if !r.visible {
                return Ok(None); // a blank line
            }
            let to = if i > r.from && bytes[i - 1] == b'\r' { i - 1 } else { i };
            r.close_cell(&mut spans, width, at, to);
            pad(&mut spans, width, r.cells);
            rule.check(path, k + 2, r.cells, r.filled)?;
            (r, k) = (Splitting::new(i + 1), k + 1);
        } else if b == b'\r' {
            if i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                return Ok(None);
            }
        } else if b != b' ' && b != b'\t' {
            if b >= 0x80 || b == 0x0b || b == 0x0c {
                return Ok(None); // white space the line-by-line path trims
            }
            (r.blank, r.visible) = (false, true);
        }
    }
    if bytes.last().is_some_and(|&b| b != b'\n') {
        // The last record, without a newline.
        if !r.visible {
            return Ok(None); // a blank last line
        }
        let to = if bytes[bytes.len() - 1] == b'\r' { bytes.len() - 1 } else { bytes.len() };
        r.close_cell(&mut spans, width, at, to);
        pad(&mut spans, width, r.cells);
        rule.check(path, k + 2, r.cells, r.filled)?;
        k += 1;
    }
    Ok(Some((spans, k)))
}

/// How the quotes of a line pair up (see [`count_cells`]).
#[derive(Debug, PartialEq)]
enum Quotes {
    /// Every quoted cell is closed, and every unquoted cell holds an even number of quotes.
    Paired,
    /// A quoted field is still open at the end of the line.
    Open,
    /// An unquoted cell (from 0, starting at byte `from`) holds an odd number of quotes: polars
    /// would run the record into the next line.
    Stray { cell: usize, from: usize },
    /// Something follows the quote that closes a quoted cell, a space included (`"Apple says
    /// "yes" today"`: a quote inside the cell not doubled): polars would drop the quotes and
    /// join the pieces, or refuse the cell without naming its line.
    Trailing { cell: usize, from: usize },
}

/// The cells of one line, the number up to its last non-blank cell, and how its quotes pair up,
/// by the rules polars reads cells with: a quote opens a quoted cell only as the cell's first
/// byte (a space before it makes it text), `""` inside a quoted cell is a quote, and the quote
/// that closes it must end the cell. A quote elsewhere is text, and an odd number of them in a
/// cell would run the record into the next line.
fn count_cells(line: &[u8], separator: u8) -> (usize, usize, Quotes) {
    let (mut cells, mut filled) = (1, 0);
    // In a quoted cell; just after the quote that closed one; the cell blank so far; the
    // quotes of an unquoted cell so far; where the cell starts.
    let (mut quoted, mut closed, mut blank, mut inner, mut from) = (false, false, true, 0usize, 0);
    // The first quote out of place: (cell, its first byte, whether it is text after a
    // closing quote rather than a quote without its pair).
    let mut found: Option<(usize, usize, bool)> = None;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if quoted {
            if b == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    (quoted, closed) = (false, true);
                }
            }
        } else if b == separator {
            if inner % 2 == 1 {
                found.get_or_insert((cells - 1, from, false));
            }
            if !blank {
                filled = cells;
            }
            cells += 1;
            (closed, blank, inner, from) = (false, true, 0, i + 1);
        } else if closed {
            found.get_or_insert((cells - 1, from, true));
            closed = false;
        } else if b == b'"' && i == from {
            (quoted, blank) = (true, false);
        } else {
            inner += usize::from(b == b'"');
            if b != b' ' && b != b'\t' {
                blank = false;
            }
        }
        i += 1;
    }
    if inner % 2 == 1 {
        found.get_or_insert((cells - 1, from, false));
    }
    if !blank {
        filled = cells;
    }
    let quotes = match found {
        Some((cell, from, true)) => Quotes::Trailing { cell, from },
        Some((cell, from, false)) => Quotes::Stray { cell, from },
        None if quoted => Quotes::Open,
        None => Quotes::Paired,
    };
    (cells, filled, quotes)
}

/// Tokenises `records` lines of `body` (no header) into `ncols` string columns with polars.
fn parse_cells(path: &Path, body: &[u8], ncols: usize, separator: u8, records: usize) -> Result<Vec<StringChunked>> {
    let schema: Schema = (0..ncols).map(|i| Field::new(format!("c{i}").into(), DataType::String)).collect();
    let df = CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(schema)))
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .map_parse_options(|o| o.with_separator(separator).with_truncate_ragged_lines(true).with_missing_is_null(true))
        .into_reader_with_file_handle(Cursor::new(body))
        .finish()
        .map_err(|e| Error::at(path, None, None, format!("not a readable CSV file: {}", first_line(&e.to_string()))))?;
    if df.height() != records {
        return Err(Error::at(
            path,
            None,
            None,
            format!(
                "found {} records on {records} non-blank lines; quoted fields spanning lines are not supported",
                df.height()
            ),
        ));
    }
    df.columns()
        .iter()
        .map(|c| c.str().map(|ca| ca.rechunk().into_owned()).map_err(|e| Error::Data(e.to_string())))
        .collect()
}

/// The separator of a header line: `;` or tab when they outnumber commas (outside quotes).
fn detect_separator(line: &str) -> u8 {
    let (mut comma, mut semi, mut tab, mut quoted) = (0, 0, 0, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// The names of a header line, read as a record is ([`count_cells`]): a quoted name may hold
/// the separator (`"Close, adjusted"`) and doubled quotes; other names are trimmed, of quotes
/// too (`Date, "Close"`, a space before the quote, reads `Close` as before).
fn split_header(line: &str, separator: u8) -> Vec<String> {
    let (mut names, mut name, mut quoted, mut was_quoted) = (Vec::new(), String::new(), false, false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c != '"' {
                name.push(c);
            } else if chars.peek() == Some(&'"') {
                chars.next();
                name.push('"');
            } else {
                quoted = false;
            }
        } else if c == separator as char {
            let text = std::mem::take(&mut name);
            names.push(if was_quoted { text } else { text.trim().trim_matches('"').to_string() });
            was_quoted = false;
        } else if c == '"' && name.is_empty() && !was_quoted {
            (quoted, was_quoted) = (true, true);
        } else {
            name.push(c);
        }
    }
    names.push(if was_quoted { name } else { name.trim().trim_matches('"').to_string() });
    names
}

/// Refuses a header line whose quotes do not pair up (line 1, as a record's would be), before
/// its names are read.
fn check_header_quotes(path: &Path, line: &str, separator: u8) -> Result<()> {
    let (_, _, quotes) = count_cells(line.as_bytes(), separator);
    check_quotes(path, 1, &[], line, separator, quotes)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> TextTable {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, text).unwrap();
        read_table(&p, "test").unwrap()
    }

    fn cells(t: &TextTable) -> Vec<(usize, Vec<Option<String>>)> {
        t.records()
            .map(|(r, line)| (line, (0..t.header.len()).map(|c| t.cell(r, c).map(String::from)).collect()))
            .collect()
    }

    /// A file without blank lines takes the direct path (its bytes straight to polars, record i
    /// on line i + 2); with blank lines, CRLF or a blank last line it takes the line-listing
    /// path. Both give the same cells, and each record keeps the line an editor shows.
    #[test]
    fn direct_and_listed_paths_agree_on_cells_and_lines() {
        let plain = table("Date,Close\n2025-01-02,1.5\n2025-01-03,\n2025-01-06,  \n");
        assert!(matches!(plain.lines, Lines::From { first: 2, count: 3 }));
        let want = vec![
            (2, vec![Some("2025-01-02".to_string()), Some("1.5".to_string())]),
            (3, vec![Some("2025-01-03".to_string()), None]),
            (4, vec![Some("2025-01-06".to_string()), None]),
        ];
        assert_eq!(cells(&plain), want);
        assert_eq!(cells(&table("Date,Close\r\n2025-01-02,1.5\r\n2025-01-03,\r\n2025-01-06,  \r\n")), want, "CRLF");
        assert_eq!(cells(&table("Date,Close\n2025-01-02,1.5\n2025-01-03,\n2025-01-06,  ")), want, "no final newline");
        let gapped = table("Date,Close\n2025-01-02,1.5\n\n2025-01-03,\n  \n2025-01-06,  \n\n");
        assert!(matches!(gapped.lines, Lines::Listed(_)));
        let shifted: Vec<_> = want.iter().cloned().zip([2, 4, 6]).map(|((_, c), l)| (l, c)).collect();
        assert_eq!(cells(&gapped), shifted, "blank lines keep the editor's line numbers");
        assert!(table("Date,Close\n").is_empty());
        // Regression: a line of Unicode spaces is blank, as on the line-by-line path.
        let nbsp = table("Date,Close\n2025-01-02,1.5\n\u{a0}\n2025-01-03,\n2025-01-06,\u{a0}\n");
        assert_eq!(cells(&nbsp), vec![(2, want[0].1.clone()), (4, want[1].1.clone()), (5, want[2].1.clone())]);
    }

    /// The cells of `text` (a plain file: header, no blank line), split here or tokenised by
    /// polars, or the error of its checks.
    fn plain_cells(text: &str, split: bool, strict: bool) -> std::result::Result<Vec<Vec<Option<String>>>, String> {
        let path = Path::new("gen.csv");
        let (header_line, body) = header_and_body(text).expect("a header");
        let count = plain_lines(body).expect("a plain file");
        let separator = detect_separator(header_line);
        let header = split_header(header_line, separator);
        let at = body.as_ptr() as usize - text.as_ptr() as usize;
        let grid = if split {
            let split = split_plain(path, body, at, &header, separator, strict).map_err(|e| e.to_string())?;
            let (spans, records) = split.expect("split here");
            assert_eq!(records, count);
            Grid::Spans { text: text.to_string(), width: header.len(), spans }
        } else {
            check_records(path, body, &header, separator, strict, |k| k + 2).map_err(|e| e.to_string())?;
            let columns = if count == 0 {
                vec![]
            } else {
                parse_cells(path, body.as_bytes(), header.len(), separator, count).unwrap()
            };
            Grid::Columns(columns)
        };
        let t = TextTable {
            header,
            grid,
            lines: Lines::From { first: 2, count },
            sha256: String::new(),
            separator,
            unread: vec![],
        };
        Ok(cells(&t).into_iter().map(|(_, c)| c).collect())
    }

    /// A reproducible generator of numbers below its argument (xorshift64), for generated files.
    fn xorshift(mut state: u64) -> impl FnMut(usize) -> usize {
        move |m| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        }
    }

    /// A quote-free file split here gives polars' cells, or the same error, on 20,000 generated
    /// files: separators, empty and blank cells, rows short of or beyond the header, CRLF, no
    /// final newline, a header ending in a separator.
    #[test]
    fn split_plain_gives_the_cells_polars_gives() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let tokens = ["", " ", "1.5", "2025-01-02", " 7 ", "\t", "x y", "-3", "1,5", ";"];
        let (mut compared, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let sep = [",", ";", "\t"][next(3)];
            let width = 1 + next(4);
            let names: Vec<&str> = (0..width).map(|i| ["Date", "Close", "Volume", ""][(i + next(2)) % 4]).collect();
            let mut text = names.join(sep);
            text.push('\n');
            for r in 0..1 + next(5) {
                if r > 0 {
                    text.push_str(["\n", "\r\n"][next(2)]);
                }
                let n = if next(4) == 0 { 1 + next(width + 2) } else { width };
                let cells: Vec<&str> = (0..n).map(|_| tokens[next(tokens.len())]).collect();
                text.push_str(&cells.join(sep));
            }
            if next(2) == 0 {
                text.push_str(["\n", "\r\n", "\r"][next(3)]);
            }
            if header_and_body(&text).and_then(|(_, body)| plain_lines(body)).is_none()
                || detect_separator(text.lines().next().unwrap()) != sep.as_bytes()[0]
            {
                continue;
            }
            for strict in [false, true] {
                let (ours, theirs) = (plain_cells(&text, true, strict), plain_cells(&text, false, strict));
                assert_eq!(ours, theirs, "{text:?}, strict {strict}");
                compared += 1;
                refused += ours.is_err() as usize;
            }
        }
        assert!(compared > 10_000 && refused > 1_000 && compared - refused > 5_000, "{compared} {refused}");
    }

    /// Whichever path reads a file (split here, polars, or line by line), its cells, their
    /// lines and its errors are those of the line-by-line path, on 5,000 generated files with
    /// blank lines, odd white space and rows of the wrong length. Regression: a line of tabs in
    /// a tab-separated file was split as a record of empty cells, not skipped as blank.
    #[test]
    fn every_path_reads_as_the_line_by_line_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gen.csv");
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        let tokens = ["1.5", "2025-01-02", "", " ", "x", "\u{a0}", "\x0c", "\"q\"", "7,5"];
        let (mut read, mut refused) = (0, 0);
        for _ in 0..5_000 {
            // Comma, semicolon and tab files (a tab is both a separator and white space).
            let sep = [",", ";", "\t"][next(3)];
            let mut text = ["Date", "Close", "Volume"].join(sep) + "\n";
            for _ in 0..1 + next(6) {
                match next(8) {
                    0 => text.push_str(["", " ", "\t\r", "\t\t", " \t "][next(5)]),
                    _ => {
                        let n = if next(5) == 0 { 1 + next(4) } else { 3 };
                        let odd = next(6) == 0;
                        let cells: Vec<&str> = (0..n).map(|_| tokens[next(if odd { 9 } else { 4 })]).collect();
                        text.push_str(&cells.join(sep));
                    }
                }
                text.push_str(["\n", "\r\n"][next(2)]);
            }
            std::fs::write(&path, &text).unwrap();
            let got = read_table(&path, "price").map(|t| cells(&t)).map_err(|e| e.to_string());
            let want =
                read_listed(&path, "price", &text, None, String::new()).map(|t| cells(&t)).map_err(|e| e.to_string());
            assert_eq!(got, want, "{text:?}");
            read += 1;
            refused += got.is_err() as usize;
        }
        assert!(refused > 500 && read - refused > 1_000, "{read} {refused}");
    }

    /// The word-at-a-time split of a body without white space gives the byte loop's cells and
    /// errors, on 20,000 generated bodies: empty cells, blank lines, rows short of or beyond
    /// the header, a header ending in a separator, no final newline, records across word
    /// boundaries.
    #[test]
    fn split_bare_gives_the_cells_and_errors_of_the_byte_loop() {
        let path = Path::new("gen.csv");
        let mut next = xorshift(0x5851_f42d_4c95_7f2d);
        let tokens = ["", "1.5", "2025-01-02", "-3", "x", "abcdefghijklmnopq", "1,5", "7;5", "\x01"];
        let (mut split, mut blank, mut refused) = (0, 0, 0);
        for _ in 0..20_000 {
            let separator = [b',', b';'][next(2)];
            let width = 1 + next(4);
            let header: Vec<String> = (0..width)
                .map(|i| if i + 1 == width && next(4) == 0 { String::new() } else { format!("c{i}") })
                .collect();
            let mut body = String::new();
            for _ in 0..next(12) {
                if next(25) > 0 {
                    let n = if next(4) == 0 { next(width + 3) } else { width };
                    let cells: Vec<&str> = (0..n).map(|_| tokens[next(tokens.len())]).collect();
                    body.push_str(&cells.join(&(separator as char).to_string()));
                }
                body.push('\n');
            }
            if next(3) == 0 {
                body.pop();
            }
            assert!(bare(body.as_bytes()), "{body:?}");
            for strict in [false, true] {
                let at = next(100);
                let given = Body::new(path, body.as_bytes(), at, &header, separator, strict);
                let ours = split_bare(&given).map_err(|e| e.to_string());
                let theirs = split_spaced(&given).map_err(|e| e.to_string());
                assert_eq!(ours, theirs, "{body:?} {header:?}, strict {strict}");
                match ours {
                    Ok(Some(_)) => split += 1,
                    Ok(None) => blank += 1,
                    Err(_) => refused += 1,
                }
            }
        }
        assert!(split > 5_000 && blank > 1_000 && refused > 1_000, "{split} {blank} {refused}");
    }

    /// `zero_bytes` marks exactly the zero bytes of a word, whatever the bytes beside them.
    #[test]
    fn zero_bytes_marks_exactly_the_zero_bytes() {
        let mut next = xorshift(0x1234_5678_9abc_def1);
        for _ in 0..100_000 {
            let bytes: [u8; 8] = std::array::from_fn(|_| [0, 1, 0x7f, 0x80, 0xff, next(256) as u8][next(6)]);
            let want = bytes.iter().enumerate().fold(0u64, |m, (i, &b)| m | (u64::from(b == 0) << (8 * i + 7)));
            assert_eq!(zero_bytes(u64::from_le_bytes(bytes)), want, "{bytes:?}");
        }
    }

    /// `bare` refuses every kind of white space but line feeds, and non-ASCII bytes, wherever
    /// they are in the body.
    #[test]
    fn bare_refuses_white_space_and_non_ascii_anywhere() {
        let plain = "2025-01-02,1.5\n".repeat(40);
        assert!(bare(plain.as_bytes()));
        for odd in [b' ', b'\t', b'\r', 0x0b, 0x0c, 0x80, 0xa0, 0xff] {
            for at in [0, 7, 255, 256, 300, plain.len() - 1] {
                let mut bytes = plain.clone().into_bytes();
                bytes[at] = odd;
                assert!(!bare(&bytes), "{odd:#x} at {at}");
            }
        }
    }

    /// How a line's quotes pair up: a doubled quote inside a quoted cell counts as two; an
    /// unpaired quote in an unquoted cell and text after a closing quote are found, with the
    /// cell they are in.
    #[test]
    fn quotes_pair_up_as_polars_reads_them() {
        let q = |l: &str| count_cells(l.as_bytes(), b',').2;
        assert_eq!(q(r#"a,"b,c",d"#), Quotes::Paired);
        assert_eq!(q(r#"a,"b ""x"" c",d"#), Quotes::Paired);
        assert_eq!(q(r#"a,"b""c",d"#), Quotes::Paired);
        assert_eq!(q(r#"a,says "yes" today,d"#), Quotes::Paired);
        assert_eq!(q(r#"a,"b"  ,d"#), Quotes::Trailing { cell: 1, from: 2 });
        assert_eq!(q(r#"a,"open"#), Quotes::Open);
        assert_eq!(q(r#"2025-01-06",12"#), Quotes::Stray { cell: 0, from: 0 });
        // Regression: the doubled quote counted as one made this line's five quotes even.
        assert_eq!(q(r#"a,"b""c",x""#), Quotes::Stray { cell: 2, from: 9 });
        assert_eq!(q(r#"a,"says "yes" today",d"#), Quotes::Trailing { cell: 1, from: 2 });
        // Regression: a space before the quote made the cell quoted here and text for polars,
        // which split it at its comma and shifted the columns after it.
        assert_eq!(q(r#"a, "x, y",b"#), Quotes::Stray { cell: 1, from: 2 });
        assert_eq!(q("a,\t\"x, y\",b"), Quotes::Stray { cell: 1, from: 2 });
        // Regression: two unpaired quotes in two cells made an even count for the line.
        assert_eq!(q(r#"a,says "yes,WSJ "x,u"#), Quotes::Stray { cell: 1, from: 2 });
        assert_eq!(q(r#"a, "x",b"#), Quotes::Paired);
    }

    /// Regression: a file starting with two byte-order marks kept the second in its first header
    /// name, so an events file's `id` column matched nothing and its ids were replaced.
    #[test]
    fn every_leading_byte_order_mark_is_dropped() {
        let one = table("\u{feff}id,date\na,2025-01-02\n");
        let two = table("\u{feff}\u{feff}id,date\na,2025-01-02\n");
        assert_eq!(two.header, ["id", "date"]);
        assert_eq!(cells(&one), cells(&two));
    }

    /// Header names are read as record cells are; a header whose quotes do not pair up is
    /// refused at line 1. Regression: `Adj"Close` was read as a name no column matched, and
    /// the unadjusted Close was used.
    #[test]
    fn header_names_are_read_and_checked_as_cells() {
        assert_eq!(split_header(r#"id,"head, line",x"#, b','), ["id", "head, line", "x"]);
        assert_eq!(split_header(r#""a ""b""",c"#, b','), [r#"a "b""#, "c"]);
        assert_eq!(split_header(r#"Date, "Close" ,Volume"#, b','), ["Date", "Close", "Volume"]);
        assert_eq!(split_header("Date;Close;", b';'), ["Date", "Close", ""]);
        let path = Path::new("h.csv");
        for line in [r#"Date,Adj"Close"#, r#"Date,"Adj Close"#, r#"id,headline""#, r#"Date,"Close" "#] {
            let e = check_header_quotes(path, line, b',').unwrap_err().to_string();
            assert!(e.contains("h.csv, line 1"), "{line}: {e}");
        }
        assert!(check_header_quotes(path, r#""Date","Adj Close",Volume"#, b',').is_ok());
    }

    /// Quotes, a carriage return inside a line and a file beyond MAX_SPLIT go to polars; blank
    /// lines (spaces, tabs, a CR), form feeds and non-ASCII bytes to the line-by-line path.
    #[test]
    fn split_plain_leaves_quotes_blank_lines_and_odd_white_space_to_the_other_paths() {
        let header = vec!["Date".to_string(), "Close".to_string()];
        let path = Path::new("gen.csv");
        for body in [
            "2025-01-02,\"1.5\"\n",
            "2025-01-02,1\r5\n",
            "2025-01-02,1.5\r\r\n",
            "2025-01-02,1.5\n\n2025-01-03,1.6\n",
            "2025-01-02,1.5\n \t\r\n2025-01-03,1.6\n",
            "2025-01-02,1.5\n  ",
            "2025-01-02,1.5\u{a0}\n",
            "2025-01-02,1.5\x0c\n",
        ] {
            assert_eq!(split_plain(path, body, 0, &header, b',', false).unwrap(), None, "{body:?}");
        }
        assert_eq!(split_plain(path, "2025-01-02,1.5\n", MAX_SPLIT, &header, b',', false).unwrap(), None);
        let (spans, n) =
            split_plain(path, "2025-01-02,1.5\r\n2025-01-03,\r", 0, &header, b',', false).unwrap().unwrap();
        assert_eq!((spans, n), (vec![(0, 10), (11, 14), (16, 26), (27, 27)], 2));
    }
}

/// Whether `path` is a Parquet file: its name ends in `.parquet` or `.pq`, or it is a regular
/// file that starts and ends with Parquet's magic `PAR1`. A pipe (`--panel /dev/stdin`) is
/// never opened here: a byte read from it would be lost to the real read.
pub fn is_parquet(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let by_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("pq"));
    if by_name {
        return true;
    }
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() >= 8) {
        return false;
    }
    let (mut head, mut tail) = ([0u8; 4], [0u8; 4]);
    let read = std::fs::File::open(path).and_then(|mut f| {
        f.read_exact(&mut head)?;
        f.seek(SeekFrom::End(-4))?;
        f.read_exact(&mut tail)
    });
    read.is_ok() && &head == b"PAR1" && &tail == b"PAR1"
}

/// Whether this build reads a Parquet column of type `t` (polars is built with few data
/// types): text (also dictionary-encoded), booleans, 32- and 64-bit integers and floats, dates
/// and timestamps. Other columns (decimals, 8- and 16-bit integers, nested types) are left out
/// and listed in [`TextTable::unread`].
fn readable_parquet_type(t: &polars::prelude::ArrowDataType) -> bool {
    use polars::prelude::ArrowDataType as A;
    match t {
        A::Utf8 | A::LargeUtf8 | A::Utf8View | A::Boolean => true,
        A::Int32 | A::Int64 | A::UInt32 | A::UInt64 | A::Float32 | A::Float64 => true,
        A::Date32 | A::Date64 | A::Timestamp(..) => true,
        A::Dictionary(_, values, _) => matches!(values.as_ref(), A::Utf8 | A::LargeUtf8 | A::Utf8View),
        _ => false,
    }
}

/// A timestamp column as the text a CSV export holds: `YYYY-MM-DD HH:MM:SS`, with the UTC
/// offset of its time zone when it has one (`2025-02-11 00:00:00-05:00`), so that the date is
/// the one in that zone.
fn timestamps_as_text(s: &Series, unit: TimeUnit, zone: Option<&str>) -> std::result::Result<StringChunked, String> {
    let tz: Option<chrono_tz::Tz> = match zone {
        Some(z) => Some(z.parse().map_err(|_| format!("unknown time zone '{z}'"))?),
        None => None,
    };
    let per_second: i64 = match unit {
        TimeUnit::Nanoseconds => 1_000_000_000,
        TimeUnit::Microseconds => 1_000_000,
        TimeUnit::Milliseconds => 1_000,
    };
    let phys = s.to_physical_repr();
    let values = phys.i64().map_err(|e| e.to_string())?;
    let out: StringChunked = values
        .iter()
        .map(|v| {
            let v = v?;
            let utc = chrono::DateTime::from_timestamp(
                v.div_euclid(per_second),
                (v.rem_euclid(per_second) * (1_000_000_000 / per_second)) as u32,
            )?;
            Some(match tz {
                Some(tz) => utc.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S%:z").to_string(),
                None => utc.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string(),
            })
        })
        .collect();
    Ok(out.with_name(s.name().clone()))
}

/// Reads a Parquet file (a `--panel` written by pandas, polars or DuckDB) into a [`TextTable`]:
/// each column as text, dates as YYYY-MM-DD, numbers as the shortest text that reads back as
/// the same value, so that every check of a CSV applies unchanged and a panel gives the same
/// study as the same data in CSV. Row i is reported as line i + 1, the line it would have in a
/// CSV with a header.
pub fn read_parquet_table(path: &Path, what: &str) -> Result<TextTable> {
    let bytes = read_bytes(path, what, "Parquet")?;
    let sha256 = sha256_hex(&bytes);
    let unreadable = |e: PolarsError| Error::at(path, None, None, format!("cannot read it as Parquet: {e}"));
    let mut reader = ParquetReader::new(Cursor::new(bytes));
    let schema = reader.schema().map_err(unreadable)?;
    let (mut keep, mut unread) = (vec![], vec![]);
    for (name, field) in schema.iter() {
        if readable_parquet_type(&field.dtype) {
            keep.push(name.to_string());
        } else {
            unread.push(format!("{name} ({:?})", field.dtype));
        }
    }
    check_header(path, &keep)?;
    // A column type polars was not built for panics inside it: the schema check above keeps
    // such columns out, and this turns any that slips through into the file's error.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.with_columns(Some(keep)).finish()));
    let df = match read {
        Ok(r) => r.map_err(unreadable)?,
        Err(_) => {
            return Err(Error::at(path, None, None, "cannot read it as Parquet: a column type this tool does not read"))
        }
    };
    let header: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
    let mut columns = Vec::with_capacity(header.len());
    for (c, name) in df.columns().iter().zip(&header) {
        let s = c.as_materialized_series();
        let text = match s.dtype() {
            DataType::String => s.str().map_err(unreadable)?.clone(),
            DataType::Datetime(unit, zone) => timestamps_as_text(s, *unit, zone.as_ref().map(|z| z.as_str()))
                .map_err(|e| Error::at(path, Some(1), Some(name), e))?,
            DataType::Categorical(..) | DataType::Enum(..) => {
                s.cast(&DataType::String).map_err(unreadable)?.str().map_err(unreadable)?.clone()
            }
            DataType::Float64 => s.f64().map_err(unreadable)?.apply_into_string_amortized(|v, buf| {
                if v.is_finite() {
                    buf.push_str(zmij::Buffer::new().format_finite(v));
                } else {
                    // NaN and infinities stay visible, for the number checks to refuse.
                    buf.push_str(&v.to_string());
                }
            }),
            d if d.is_primitive_numeric() || matches!(d, DataType::Date | DataType::Boolean) => {
                s.cast(&DataType::String).map_err(unreadable)?.str().map_err(unreadable)?.clone()
            }
            other => {
                return Err(Error::at(
                    path,
                    Some(1),
                    Some(name),
                    format!("the column has type {other}; expected dates, numbers or text"),
                ))
            }
        };
        columns.push(text.rechunk().into_owned());
    }
    let count = df.height();
    let grid = Grid::Columns(columns);
    Ok(TextTable { header, grid, lines: Lines::From { first: 2, count }, sha256, separator: b',', unread })
}

/// The type a column of an exported CSV takes in its Parquet twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Date,
    Integer,
    Float,
}

/// Writes the CSV text `csv` (one of the study's own exports, header first) as Parquet into
/// `w`, each column typed by `types` of its name: dates as Date, integers as Int64, numbers as
/// Float64 (an empty cell is null), text as String. The CSV exporters stay the one place that
/// decides columns and values; this only re-encodes them.
pub fn write_parquet_from_csv(
    csv: &str,
    types: fn(&str) -> ColumnType,
    w: &mut impl std::io::Write,
) -> std::result::Result<(), String> {
    let header_line = csv.lines().next().unwrap_or("");
    let schema: Schema = header_line
        .split(',')
        .map(|name| {
            let dtype = match types(name) {
                ColumnType::Text => DataType::String,
                ColumnType::Date => DataType::Date,
                ColumnType::Integer => DataType::Int64,
                ColumnType::Float => DataType::Float64,
            };
            Field::new(name.into(), dtype)
        })
        .collect();
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema(Some(Arc::new(schema)))
        .with_raise_if_empty(false)
        .map_parse_options(|o| o.with_missing_is_null(true).with_try_parse_dates(false))
        .into_reader_with_file_handle(Cursor::new(csv.as_bytes()))
        .finish()
        .map_err(|e| e.to_string())?;
    ParquetWriter::new(w).finish(&mut df).map(|_| ()).map_err(|e| e.to_string())
}

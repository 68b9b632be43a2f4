//! Everything a study writes: the study folder under `--out`, and one module per format. All of
//! them read the same [`Summary`]; none of them computes statistics.
//!
//! A study folder is built in a hidden staging folder next to its final place and renamed into
//! place only when every file is complete, so an interrupted or failed run never leaves a
//! half-written output behind, and a rerun replaces the previous folder whole.

pub mod chart;
pub mod csv;
pub mod glyphs;
pub mod json;
pub mod parquet;
pub mod report;
pub mod staging;
pub mod table;
pub mod text;
pub mod units;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::summary::Summary;

/// One output format written into the study folder. Exporters run side by side, except those
/// that read what the others wrote ([`Exporter::reads_others`]), which run after them.
pub trait Exporter: Send + Sync {
    /// File names this exporter writes (for the terminal summary and README).
    fn files(&self) -> Vec<&'static str>;
    /// Writes its files into `dir`.
    fn write(&self, summary: &Summary, dir: &Path) -> Result<()>;
    /// Whether it reads files of the other exporters (the HTML report embeds the charts).
    fn reads_others(&self) -> bool {
        false
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| std::io::Write::write_all(w, bytes))
}

/// The buffer of an output file's writer. The CSV exporters render rows into buffers of their
/// own and hand over more than this at a time, and summary.json pieces of 16 events or groups
/// (in a large study 100–500 KiB each), which the writer passes to the file without copying
/// them into this buffer.
pub const WRITE_BUFFER: usize = 1 << 16;

/// Like [`write_atomic`], with the content streamed by `fill` into a buffered writer.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let fail = |e: std::io::Error| Error::Output(format!("{}: cannot write: {e}", path.display()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::with_capacity(WRITE_BUFFER, f);
        fill(&mut w)?;
        w.flush()
    });
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// A written study folder, and its `summary.json` opened before the folder was published, so
/// that what is printed is this run's result even if another run replaces the folder at once.
pub struct Written {
    pub dir: PathBuf,
    pub summary_json: Option<std::fs::File>,
}

/// The study hash recorded in the `summary.json` of an earlier run's folder (it is near the top).
fn recorded_hash(dir: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = vec![0u8; 64 * 1024];
    let n = std::fs::File::open(dir.join("summary.json")).and_then(|mut f| f.read(&mut head)).ok()?;
    let text = String::from_utf8_lossy(&head[..n]);
    let rest = &text[text.find("\"study_hash\"")? + 12..];
    let start = rest.find('"')? + 1;
    let len = rest[start..].find('"')?;
    Some(rest[start..start + len].to_string())
}

/// Refuses to replace `final_dir` unless it is empty or holds an earlier run of the same study.
fn check_replace(final_dir: &Path, summary: &Summary) -> Result<()> {
    if !final_dir.exists() {
        return Ok(());
    }
    let empty = std::fs::read_dir(final_dir).map(|mut d| d.next().is_none()).unwrap_or(false);
    if final_dir.is_dir() && empty {
        return Ok(());
    }
    if !final_dir.is_dir() || !final_dir.join("summary.json").is_file() {
        return Err(Error::Usage(format!(
            "{} exists and is not an eventstudy output folder (no summary.json); it is left alone: choose another --out or --name",
            final_dir.display()
        )));
    }
    match recorded_hash(final_dir) {
        Some(h) if h == summary.study_hash => Ok(()),
        other => Err(Error::Usage(format!(
            "{} holds a different study ({}; this one is {}); it is left alone: choose another --name, or remove that folder",
            final_dir.display(),
            other.map(|h| format!("study hash {h}")).unwrap_or_else(|| "no study hash recorded".into()),
            summary.study_hash
        ))),
    }
}

/// Writes every export of `summary` into `<out>/<study>/`, atomically as a folder.
pub fn write_study(summary: &Summary, out: &Path, exporters: &[Box<dyn Exporter>]) -> Result<Written> {
    std::fs::create_dir_all(out)
        .map_err(|e| Error::Output(format!("{}: cannot create the output folder: {e}", out.display())))?;
    staging::remove_stale(out);
    let final_dir = out.join(&summary.study);
    // Only an earlier run of the same study, or an empty folder, is ever replaced.
    check_replace(&final_dir, summary)?;
    let staging = out.join(format!(".{}.staging-{}", summary.study, std::process::id()));
    staging::register(&staging);
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| {
        staging::unregister(&staging);
        Error::Output(format!("{}: cannot create: {e}", staging.display()))
    })?;
    let run = |ex: &dyn Exporter| {
        let _t = crate::timing::phase(ex.files().first().copied().unwrap_or("output"));
        ex.write(summary, &staging)
    };
    let result = (|| {
        use rayon::prelude::*;
        let first: Vec<Result<()>> =
            exporters.par_iter().filter(|e| !e.reads_others()).map(|e| run(e.as_ref())).collect();
        first.into_iter().collect::<Result<()>>()?;
        exporters.iter().filter(|e| e.reads_others()).try_for_each(|e| run(e.as_ref()))
    })();
    let published = result.and_then(|()| publish(&staging, &final_dir, out, &summary.study));
    staging::unregister(&staging);
    if published.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    published.map(|summary_json| Written { dir: final_dir, summary_json })
}

/// Moves the complete staging folder into place, replacing any previous run's folder: move it
/// aside, move the new one in, then delete the old. Returns the new `summary.json`, opened first.
fn publish(staging: &Path, final_dir: &Path, out: &Path, study: &str) -> Result<Option<std::fs::File>> {
    let summary_json = std::fs::File::open(staging.join("summary.json")).ok();
    let old = out.join(format!(".{study}.old-{}", std::process::id()));
    let had_old = final_dir.exists();
    if had_old {
        staging::register(&old);
        std::fs::rename(final_dir, &old)
            .map_err(|e| Error::Output(format!("{}: cannot replace: {e}", final_dir.display())))?;
    }
    if let Err(e) = std::fs::rename(staging, final_dir) {
        if had_old {
            let _ = std::fs::rename(&old, final_dir);
            staging::unregister(&old);
        }
        return Err(Error::Output(format!("{}: cannot create: {e}", final_dir.display())));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
        staging::unregister(&old);
    }
    Ok(summary_json)
}

/// The exporters of a normal run.
pub fn default_exporters(
    charts: bool,
    chart_size: chart::ChartSize,
    price_range: Option<crate::config::DateRange>,
    parquet: bool,
) -> Vec<Box<dyn Exporter>> {
    let mut v: Vec<Box<dyn Exporter>> = vec![
        Box::new(json::JsonExport),
        Box::new(csv::ArCsv),
        Box::new(csv::CarCsv),
        Box::new(csv::AggregateCsv),
        Box::new(csv::ClaimsCsv),
    ];
    if parquet {
        v.push(Box::new(parquet::ParquetExport));
    }
    if charts {
        v.push(Box::new(chart::Charts { size: chart_size, price_range }));
    }
    v.push(Box::new(report::Report { charts }));
    v
}

/// Escapes text for HTML and SVG (element content and quoted attributes): a headline such as
/// `<script>` or `"x" & y` is shown as written, never interpreted. Every text an HTML
/// exporter writes goes through here.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_leaves_no_markup() {
        assert_eq!(
            escape_html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape_html("BABA 9988.HK +3.2%"), "BABA 9988.HK +3.2%");
    }
}

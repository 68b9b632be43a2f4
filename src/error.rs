//! One error type for the whole crate, so that `main` can turn every failure into a short
//! message and the documented exit code: 2 for a usage mistake (bad option, unknown ticker),
//! 1 for a data problem (a file that cannot be read or parsed), never a panic or a backtrace.

use std::fmt;
use std::path::Path;

/// What went wrong, in words a user can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The command line asks for something impossible or inconsistent (exit code 2).
    Usage(String),
    /// An input file is missing, unreadable or malformed (exit code 1).
    Data(String),
    /// Writing outputs failed (exit code 1).
    Output(String),
}

impl Error {
    /// The process exit code documented in README.md.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Data(_) | Error::Output(_) => 1,
        }
    }

    /// A data error located in a file, optionally at a 1-based line and a column.
    pub fn at(path: &Path, line: Option<usize>, column: Option<&str>, msg: impl fmt::Display) -> Error {
        let mut loc = path.display().to_string();
        if let Some(l) = line {
            loc.push_str(&format!(", line {l}"));
        }
        if let Some(c) = column {
            loc.push_str(&format!(", column '{c}'"));
        }
        Error::Data(format!("{loc}: {msg}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "usage error: {m}"),
            Error::Data(m) => write!(f, "data error: {m}"),
            Error::Output(m) => write!(f, "output error: {m}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

//! Statistics on plain slices: no I/O, no DataFrames, no formatting. Each module holds one
//! piece of the method with its formula and reference in the doc comment.

pub mod car;
pub mod ols;
pub mod tdist;

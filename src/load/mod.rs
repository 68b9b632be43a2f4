//! The loading layer: the only place that knows about polars and about the many shapes of
//! real-world CSV exports. Everything it returns is plain Rust data (dates and `f64`s), so the
//! statistics never see a DataFrame.

mod claims;
mod dates;
mod events;
mod factors;
mod numbers;
mod panel;
mod prices;
mod source;
mod table;
mod tickers;

pub use claims::{load_claims, Claim, ClaimMeasure, Expect};
pub use dates::{parse_date, DateOrder};
pub use events::{load_events, load_events_with, split_tickers, Event};
pub use factors::{default_factor_files, load_factors, FactorTable};
pub use panel::{load_panel, Panel};
pub use prices::{find_price_file, load_prices, load_prices_with, PriceOptions, PriceSeries};
pub use source::{list_tickers, validate_ticker, PriceSource};
pub use table::{sha256_hex, write_parquet_from_csv, ColumnType};
pub use tickers::{load_tickers, TickerInfo, TickerTable};

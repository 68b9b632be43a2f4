//! The `eventstudy` binary: parse the command line and hand over to the library.

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    eventstudy::keep_freed_memory();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match eventstudy::cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => std::process::exit(eventstudy::cli::parse_error(e, &args)),
    };
    std::process::exit(eventstudy::cli::run(cli));
}

//! The `eventstudy` binary: parse the command line and hand over to the library.

use clap::Parser;

fn main() {
    let cli = eventstudy::cli::Cli::parse();
    std::process::exit(eventstudy::cli::run(cli));
}

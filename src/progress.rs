//! A progress bar on stderr for long studies (indicatif): one for loading and fitting the
//! tickers, one for the across-event tests of the groups. Drawn only when stderr is a terminal,
//! so CI logs, pipes and redirected files get nothing.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work items below this count finish too fast for a bar to help.
const MIN_ITEMS: usize = 50;

/// A bar over `len` items labelled `what`; hidden when stderr is not a terminal or the work
/// is small. Finished and cleared by [`done`].
pub fn bar(len: usize, what: &'static str) -> ProgressBar {
    if len < MIN_ITEMS || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr_with_hz(8));
    let style = ProgressStyle::with_template("{msg} [{wide_bar}] {pos}/{len} eta {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    pb.set_style(style);
    pb.set_message(what);
    pb.enable_steady_tick(Duration::from_millis(250));
    pb
}

/// Clears the bar from the terminal.
pub fn done(pb: ProgressBar) {
    pb.finish_and_clear();
}

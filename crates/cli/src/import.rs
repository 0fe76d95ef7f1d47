//! The shared half of every CLI import (`org import`, `user import`, later survey
//! frames, appeals and results): read the file, draw a progress bar on a terminal,
//! print the report, and fail when rows were rejected so scripts notice.

use std::{io::IsTerminal, path::Path};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use police_square_server::features::admin::import::{table, ImportReport, Progress, Table};

/// The audit actor of imports run from the command line.
pub const CLI_ACTOR: &str = "cli:import";

pub fn read(path: &Path) -> anyhow::Result<Table> {
    table::read_path(path).with_context(|| format!("reading {}", path.display()))
}

/// A progress bar on standard error when it is a terminal; nothing otherwise.
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new(what: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(ProgressBar::hidden());
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(&format!("{what} {{bar:40.cyan/blue}} {{pos}}/{{len}}"))
                .expect("valid template"),
        );
        Self(bar)
    }
}

impl Progress for Bar {
    fn start(&self, rows: u64) {
        self.0.set_length(rows);
    }

    fn advance(&self) {
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Prints the report; rejected rows make the command fail (after the good rows were
/// imported: running it again after fixing the file imports just the rest).
pub fn finish(report: &ImportReport) -> anyhow::Result<()> {
    print!("{report}");
    if report.rejected.is_empty() {
        Ok(())
    } else {
        anyhow::bail!(
            "{} row(s) rejected (listed above); fix them and run the import again",
            report.rejected.len()
        )
    }
}

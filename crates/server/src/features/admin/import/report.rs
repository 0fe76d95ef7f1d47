//! What an import did: counts, and every rejected row with its row number, column and
//! reason (the file's own header, so the person who wrote it can find the cell).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Row number in the file (the header is row 1).
    pub row: usize,
    /// The column's header as the file writes it; empty for a whole-row problem.
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// How the file was read ("UTF-8", "GBK", "XLSX").
    pub format: &'static str,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows that matched a stored record exactly: nothing to do (a second run).
    pub unchanged: usize,
    pub rejected: Vec<Rejection>,
}

impl ImportReport {
    pub fn reject(&mut self, row: usize, column: impl Into<String>, reason: impl Into<String>) {
        self.rejected.push(Rejection {
            row,
            column: column.into(),
            reason: reason.into(),
        });
    }

    /// Rejections in row order (rows are rejected in more than one pass).
    pub fn sort(&mut self) {
        self.rejected.sort_by_key(|r| r.row);
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} rows ({}): {} created, {} updated, {} unchanged, {} rejected",
            self.rows,
            self.format,
            self.created,
            self.updated,
            self.unchanged,
            self.rejected.len()
        )?;
        for r in &self.rejected {
            if r.column.is_empty() {
                writeln!(f, "  row {}: {}", r.row, r.reason)?;
            } else {
                writeln!(f, "  row {}, column {}: {}", r.row, r.column, r.reason)?;
            }
        }
        Ok(())
    }
}

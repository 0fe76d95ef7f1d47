//! Finding the expected columns of an import by their headers, as a bureau writes
//! them: `单位名称`, `名称`, `name`, `Name *`… Order and extra columns do not matter.

use super::TableRow;

/// An expected column: its key (the domain's field name) and the headers that mean it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    /// Accepted headers; compared after [`normalize`].
    pub names: &'static [&'static str],
    pub required: bool,
}

/// Where each expected column is in one file.
#[derive(Debug, Clone)]
pub struct Columns {
    spec: &'static [Column],
    /// Index in the row of each column of `spec`, if the file has it.
    found: Vec<Option<usize>>,
    /// The header as written in the file, for reports.
    written: Vec<String>,
}

/// Header comparison ignores case, spaces, `_`, `-`, a required-field `*` and a
/// parenthesised note: `Duty Phone`, `duty_phone`, `值班电话（对外）` all match.
pub fn normalize(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for c in header.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || matches!(c, '_' | '-' | '*' | '＊' | '\u{feff}') => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

impl Columns {
    /// Maps `headers` to `spec`; every required column missing is named in the error.
    pub fn map(spec: &'static [Column], headers: &[String]) -> Result<Columns, Vec<String>> {
        let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
        let found: Vec<Option<usize>> = spec
            .iter()
            .map(|col| {
                let names: Vec<String> = col.names.iter().map(|n| normalize(n)).collect();
                normalized.iter().position(|h| names.contains(h))
            })
            .collect();
        let missing: Vec<String> = spec
            .iter()
            .zip(&found)
            .filter(|(col, at)| col.required && at.is_none())
            .map(|(col, _)| format!("{} ({})", col.key, col.names.join(" / ")))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let written = spec
            .iter()
            .zip(&found)
            .map(|(col, at)| at.map_or(col.key.to_owned(), |i| headers[i].clone()))
            .collect();
        Ok(Columns {
            spec,
            found,
            written,
        })
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.spec.iter().position(|c| c.key == key)
    }

    /// The cell of column `key` in `row` ("" when the file has no such column or the
    /// row is short).
    pub fn get<'a>(&self, row: &'a TableRow, key: &str) -> &'a str {
        self.position(key)
            .and_then(|i| self.found[i])
            .and_then(|at| row.cells.get(at))
            .map_or("", |s| s.as_str())
    }

    /// Whether the file has column `key`.
    pub fn has(&self, key: &str) -> bool {
        self.position(key).is_some_and(|i| self.found[i].is_some())
    }

    /// The header of column `key` as the file writes it (the key when absent).
    pub fn header(&self, key: &str) -> String {
        self.position(key)
            .map_or_else(|| key.to_owned(), |i| self.written[i].clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[Column] = &[
        Column {
            key: "name",
            names: &["name", "单位名称", "名称"],
            required: true,
        },
        Column {
            key: "duty_phone",
            names: &["duty_phone", "值班电话"],
            required: false,
        },
        Column {
            key: "code",
            names: &["code", "单位代码"],
            required: true,
        },
    ];

    #[test]
    fn headers_match_in_either_language() {
        let headers: Vec<String> = ["备注", "值班电话（对外）", "单位名称 *", "CODE"]
            .map(String::from)
            .to_vec();
        let cols = Columns::map(SPEC, &headers).unwrap();
        let row = TableRow {
            number: 2,
            cells: ["x", "0572-1", "爱山派出所"].map(String::from).to_vec(),
        };
        assert_eq!(cols.get(&row, "name"), "爱山派出所");
        assert_eq!(cols.get(&row, "duty_phone"), "0572-1");
        // A short row: the missing cell is empty.
        assert_eq!(cols.get(&row, "code"), "");
        assert_eq!(cols.header("name"), "单位名称 *");
        assert_eq!(normalize("Duty Phone"), "dutyphone");
    }

    #[test]
    fn missing_required_columns_are_all_named() {
        let err = Columns::map(SPEC, &["备注".to_owned()]).unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err[0].starts_with("name"));
    }
}

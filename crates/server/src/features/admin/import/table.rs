//! Reading an import file into rows of text: CSV in UTF-8 or GBK, or the first sheet of
//! an XLSX workbook. Row numbers are the ones a person sees in the file (the header is
//! row 1), so a rejected row can be found.

use std::{borrow::Cow, io::Cursor, path::Path};

use calamine::{Data, Reader, Xlsx};

/// Files larger than this are refused before reading (a city's units and staff are a
/// few thousand rows; 20 MB is far above that).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_ROWS: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// 1-based row (CSV: line) number in the file; the header is row 1.
    pub number: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
    /// "UTF-8", "GBK" or "XLSX": how the file was read, for the report.
    pub format: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("unsupported file type `{0}`: save it as .csv (UTF-8 or GBK) or .xlsx")]
    UnsupportedType(String),
    #[error("the file is larger than {} MB", MAX_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("the file has more than {MAX_ROWS} rows")]
    TooManyRows,
    #[error("the file has no header row")]
    NoHeader,
    #[error("CSV: {0}")]
    Csv(String),
    #[error("XLSX: {0}")]
    Xlsx(String),
}

/// Reads `path`, choosing the format by its extension.
pub fn read_path(path: &Path) -> Result<Table, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    read_bytes(name, &bytes)
}

/// Reads a file's bytes; `name` (its file name) gives the format.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Table, ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge);
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => {
            let (text, format) = decode_text(bytes);
            read_csv(&text, format)
        }
        "xlsx" => read_xlsx(bytes),
        other => Err(ReadError::UnsupportedType(other.to_owned())),
    }
}

/// Text of a CSV file: UTF-8 (a BOM is dropped) when it is valid UTF-8, else GBK, the
/// encoding Excel uses for CSV on a Chinese Windows (decoded as GB18030, its superset).
pub fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest), "UTF-8");
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), "UTF-8");
    }
    let (text, _, _) = encoding_rs::GB18030.decode(bytes);
    (text, "GBK")
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

fn into_table(
    mut rows: impl Iterator<Item = Result<TableRow, ReadError>>,
    format: &'static str,
) -> Result<Table, ReadError> {
    // The header is the first row that is not blank.
    let headers = loop {
        match rows.next().transpose()? {
            Some(r) if blank(&r.cells) => continue,
            Some(r) => break r.cells.into_iter().map(|h| h.trim().to_owned()).collect(),
            None => return Err(ReadError::NoHeader),
        }
    };
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if blank(&row.cells) {
            continue;
        }
        if out.len() == MAX_ROWS {
            return Err(ReadError::TooManyRows);
        }
        out.push(row);
    }
    Ok(Table {
        headers,
        rows: out,
        format,
    })
}

fn read_csv(text: &str, format: &'static str) -> Result<Table, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows = reader.records().map(|r| {
        let record = r.map_err(|e| ReadError::Csv(e.to_string()))?;
        // The reader's position is where it began reading, before any blank lines it
        // skipped: count those to get the line a person sees the row on.
        let number = record.position().map_or(0, |p| {
            let skipped = text.as_bytes()[p.byte() as usize..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .filter(|&&b| b == b'\n')
                .count();
            p.line() as usize + skipped
        });
        Ok(TableRow {
            number,
            cells: record.iter().map(str::to_owned).collect(),
        })
    });
    into_table(rows, format)
}

/// A cell as text; whole numbers without a decimal point (unit codes are often typed
/// as numbers in Excel: 330502001, not 330502001.0).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, ReadError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| ReadError::Xlsx("the workbook has no sheet".into()))?
        .map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    let rows = range.rows().enumerate().map(|(i, cells)| {
        // Cells left of the used range are empty columns a person still counts.
        let mut text = vec![String::new(); first_col];
        text.extend(cells.iter().map(cell_text));
        Ok(TableRow {
            number: first_row + i + 1,
            cells: text,
        })
    });
    into_table(rows, "XLSX")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_bom_and_gbk_read_alike() {
        let text =
            "单位名称,上级单位\n爱山派出所,吴兴区公安分局\n\n\"月河\n派出所\",吴兴区公安分局\n";
        let utf8 = read_bytes("units.csv", text.as_bytes()).unwrap();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let with_bom = read_bytes("units.csv", &bom).unwrap();
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
        assert!(!unmappable);
        let gbk = read_bytes("units.CSV", &gbk).unwrap();
        assert_eq!(utf8.format, "UTF-8");
        assert_eq!(gbk.format, "GBK");
        assert_eq!(utf8.headers, vec!["单位名称", "上级单位"]);
        for t in [&with_bom, &gbk] {
            assert_eq!(t.headers, utf8.headers);
            assert_eq!(t.rows, utf8.rows);
        }
        // Blank lines are skipped; a quoted field over two lines starts on line 4.
        assert_eq!(utf8.rows.len(), 2);
        assert_eq!(utf8.rows[0].number, 2);
        assert_eq!(utf8.rows[1].number, 4);
        assert_eq!(utf8.rows[1].cells[0], "月河\n派出所");
    }

    #[test]
    fn other_types_and_empty_files_are_refused() {
        assert!(matches!(
            read_bytes("units.xls", b"x"),
            Err(ReadError::UnsupportedType(_))
        ));
        assert!(matches!(
            read_bytes("units.csv", b"\n\n"),
            Err(ReadError::NoHeader)
        ));
        assert!(matches!(
            read_bytes("units.xlsx", b"not a zip"),
            Err(ReadError::Xlsx(_))
        ));
    }
}

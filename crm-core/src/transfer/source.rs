//! Reading an import file row by row: its format (CSV or JSON lines), its text encoding
//! and its CSV delimiter, each detected when the options do not say, and the rows as
//! `(key, value)` pairs in streaming fashion — one row held at a time.
//!
//! - **Encoding**: a byte-order mark decides (UTF-8, UTF-16LE/BE); otherwise text that is
//!   valid UTF-8 in the first [`SAMPLE`] bytes is UTF-8; otherwise the legacy encoding is
//!   guessed by `chardetng` (Firefox's detector; Windows-1252 for western European
//!   spreadsheets). The bytes are decoded while streaming by `encoding_rs_io`; a byte
//!   sequence the encoding cannot read becomes U+FFFD, which the importer reports on its
//!   row and column.
//! - **Delimiter**: the one of `,` `;` tab `|` that splits the sample's lines into the
//!   same number (more than one) of fields most often.

use std::io::{BufRead, BufReader, Cursor, Read};

use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// Bytes read ahead to detect the encoding and the delimiter.
pub const SAMPLE: usize = 64 * 1024;

/// The shape of an import file.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// Delimited text with a header row; each header names a field by its dotted path.
    Csv,
    /// One JSON object per line (blank lines are skipped).
    JsonLines,
}

impl ImportFormat {
    /// The format a file name says (`.jsonl`, `.ndjson`: JSON lines; anything else: CSV).
    pub fn for_path(path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            ImportFormat::JsonLines
        } else {
            ImportFormat::Csv
        }
    }
}

/// One row of the file: the 1-based data row (the CSV header is row 0) and its values by
/// key, in file order; or why the row cannot be read at all.
pub(crate) struct SourceRow {
    pub(crate) row: usize,
    pub(crate) values: std::result::Result<Vec<(usize, Value)>, String>,
}

/// The keys met so far (CSV: the header; JSON lines: every top-level key of any line), by
/// position; rows refer to them by index.
#[derive(Debug, Default)]
pub(crate) struct Keys {
    pub(crate) names: Vec<String>,
    index: std::collections::HashMap<String, usize>,
}

impl Keys {
    fn intern(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), self.names.len() - 1);
        self.names.len() - 1
    }
}

/// What was detected or chosen about a file.
#[derive(Debug, Clone)]
pub(crate) struct Detected {
    pub(crate) encoding: &'static Encoding,
    pub(crate) delimiter: u8,
}

enum Rows<R: Read> {
    Csv {
        reader: csv::Reader<R>,
        columns: Vec<usize>,
        record: csv::StringRecord,
    },
    Lines(BufReader<R>),
}

/// A file being read.
pub(crate) struct Source {
    rows: Rows<Box<dyn Read + Send>>,
    pub(crate) keys: Keys,
    pub(crate) detected: Detected,
    row: usize,
    done: bool,
}

fn encoding_named(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Error::invalid(
            "encoding",
            label,
            "not an encoding name (utf-8, windows-1252, iso-8859-15, utf-16le, shift_jis, …)",
        )
    })
}

/// The encoding of a file that begins with `sample` (all of it when `whole`).
fn detect_encoding(sample: &[u8], whole: bool) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return enc;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => encoding_rs::UTF_8,
        // a character cut off by the end of the sample is not a reason to doubt
        Err(e) if e.error_len().is_none() && !whole => encoding_rs::UTF_8,
        Err(_) => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(sample, whole);
            detector.guess(None, true)
        }
    }
}

/// The delimiter of CSV text beginning with `text`.
fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut widths = Vec::new();
        while widths.len() < 50 && matches!(reader.read_record(&mut record), Ok(true)) {
            widths.push(record.len());
        }
        // the sample may end inside the last line
        if widths.len() > 1 {
            widths.pop();
        }
        let Some(&header) = widths.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let agreeing = widths.iter().filter(|&&w| w == header).count();
        // more agreeing lines win; then more fields
        let score = agreeing * 1000 + header;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

impl Source {
    /// Opens `input`, detecting what `format`, `encoding` and `delimiter` leave open.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an unknown encoding or a bad delimiter;
    /// [`Error::Input`] when the header row cannot be read.
    pub(crate) fn open(
        mut input: Box<dyn Read + Send>,
        format: ImportFormat,
        encoding: Option<&str>,
        delimiter: Option<&str>,
    ) -> Result<Self> {
        let mut sample = Vec::with_capacity(SAMPLE);
        input
            .by_ref()
            .take(SAMPLE as u64)
            .read_to_end(&mut sample)
            .map_err(|e| Error::Input {
                message: format!("cannot read the file: {e}"),
            })?;
        let whole = sample.len() < SAMPLE;
        let encoding = match encoding {
            Some(label) => encoding_named(label)?,
            None => detect_encoding(&sample, whole),
        };
        let delimiter = match delimiter {
            Some(d) if d.len() == 1 && !matches!(d, "\"" | "\n" | "\r") => d.as_bytes()[0],
            Some(d) => {
                return Err(Error::invalid(
                    "delimiter",
                    d,
                    "one ASCII character other than a quote or a line break",
                ));
            }
            None if format == ImportFormat::Csv => {
                let (text, _, _) = encoding.decode(&sample);
                detect_delimiter(&text)
            }
            None => b',',
        };
        let decoded: Box<dyn Read + Send> = Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .build(Cursor::new(sample).chain(input)),
        );
        let mut keys = Keys::default();
        let rows = match format {
            ImportFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .flexible(true)
                    .has_headers(true)
                    .from_reader(decoded);
                let header = reader.headers().map_err(|e| Error::Input {
                    message: format!("cannot read the header row: {e}"),
                })?;
                let columns = header.iter().map(|h| keys.intern(h.trim())).collect();
                Rows::Csv {
                    reader,
                    columns,
                    record: csv::StringRecord::new(),
                }
            }
            ImportFormat::JsonLines => Rows::Lines(BufReader::new(decoded)),
        };
        Ok(Source {
            rows,
            keys,
            detected: Detected {
                encoding,
                delimiter,
            },
            row: 0,
            done: false,
        })
    }

    /// The next row, or `None` at the end. A CSV error that the reader cannot get past
    /// (an I/O error) ends the file after its row.
    pub(crate) fn next_row(&mut self) -> Option<SourceRow> {
        if self.done {
            return None;
        }
        match &mut self.rows {
            Rows::Csv {
                reader,
                columns,
                record,
            } => match reader.read_record(record) {
                Ok(false) => {
                    self.done = true;
                    None
                }
                Ok(true) => {
                    self.row += 1;
                    let values = if record.len() == columns.len() {
                        Ok(record
                            .iter()
                            .zip(columns.iter())
                            .filter(|(cell, _)| !cell.trim().is_empty())
                            .map(|(cell, &key)| (key, Value::String(cell.to_string())))
                            .collect())
                    } else {
                        Err(format!(
                            "has {} fields, the header has {}",
                            record.len(),
                            columns.len()
                        ))
                    };
                    Some(SourceRow {
                        row: self.row,
                        values,
                    })
                }
                Err(e) => {
                    self.row += 1;
                    self.done = e.is_io_error();
                    Some(SourceRow {
                        row: self.row,
                        values: Err(format!("unreadable: {e}")),
                    })
                }
            },
            Rows::Lines(reader) => {
                let mut line = String::new();
                loop {
                    line.clear();
                    match reader.read_line(&mut line) {
                        Ok(0) => {
                            self.done = true;
                            return None;
                        }
                        Ok(_) if line.trim().is_empty() => {}
                        Ok(_) => break,
                        Err(e) => {
                            self.done = true;
                            self.row += 1;
                            return Some(SourceRow {
                                row: self.row,
                                values: Err(format!("unreadable: {e}")),
                            });
                        }
                    }
                }
                self.row += 1;
                let values = match serde_json::from_str::<Value>(&line) {
                    Ok(Value::Object(map)) => Ok(map
                        .into_iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| (self.keys.intern(&k), v))
                        .collect()),
                    Ok(_) => Err("is not a JSON object".to_string()),
                    Err(e) => Err(format!("is not JSON: {e}")),
                };
                Some(SourceRow {
                    row: self.row,
                    values,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(bytes: &[u8]) -> Source {
        Source::open(
            Box::new(Cursor::new(bytes.to_vec())),
            ImportFormat::Csv,
            None,
            None,
        )
        .unwrap()
    }

    fn cells(s: &mut Source) -> Vec<String> {
        let row = s.next_row().unwrap();
        row.values
            .unwrap()
            .into_iter()
            .map(|(k, v)| format!("{}={}", s.keys.names[k], v.as_str().unwrap()))
            .collect()
    }

    #[test]
    fn windows_1252_is_detected_and_decoded() {
        let mut s = open(b"name;city\nM\xFCller GmbH;K\xF6ln\n");
        assert_eq!(s.detected.encoding, encoding_rs::WINDOWS_1252);
        assert_eq!(s.detected.delimiter, b';');
        assert_eq!(cells(&mut s), ["name=Müller GmbH", "city=Köln"]);
        assert!(s.next_row().is_none());
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let text = "name\tcity\nÅsa AB\tMalmö\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let mut s = open(&bytes);
        assert_eq!(s.detected.encoding, encoding_rs::UTF_16LE);
        assert_eq!(s.detected.delimiter, b'\t');
        assert_eq!(cells(&mut s), ["name=Åsa AB", "city=Malmö"]);
    }

    #[test]
    fn utf8_with_a_bom_and_quoted_delimiters() {
        let mut s = open("\u{FEFF}name,note\n\"Acme, Inc.\",\"a; b\"\n".as_bytes());
        assert_eq!(s.detected.encoding, encoding_rs::UTF_8);
        assert_eq!(s.detected.delimiter, b',');
        assert_eq!(cells(&mut s), ["name=Acme, Inc.", "note=a; b"]);
    }

    #[test]
    fn a_short_row_is_reported_and_reading_goes_on() {
        let mut s = open(b"a,b\n1\n2,3\n");
        assert!(
            s.next_row()
                .unwrap()
                .values
                .unwrap_err()
                .contains("1 fields")
        );
        assert_eq!(cells(&mut s), ["a=2", "b=3"]);
    }

    #[test]
    fn json_lines_skip_blank_lines_and_report_bad_ones() {
        let input = b"{\"name\":\"A\"}\n\n[1]\n{\"name\":\"B\",\"x\":null}\n";
        let mut s = Source::open(
            Box::new(Cursor::new(input.to_vec())),
            ImportFormat::JsonLines,
            None,
            None,
        )
        .unwrap();
        assert_eq!(s.next_row().unwrap().values.unwrap().len(), 1);
        let bad = s.next_row().unwrap();
        assert_eq!(
            (bad.row, bad.values.unwrap_err().as_str()),
            (2, "is not a JSON object")
        );
        let last = s.next_row().unwrap();
        assert_eq!(last.values.unwrap().len(), 1, "null values are left out");
        assert!(s.next_row().is_none());
    }

    #[test]
    fn unknown_encoding_names_are_refused() {
        let err = Source::open(
            Box::new(Cursor::new(Vec::new())),
            ImportFormat::Csv,
            Some("klingon"),
            None,
        )
        .err()
        .unwrap();
        assert_eq!(err.code(), "invalid_value");
    }
}

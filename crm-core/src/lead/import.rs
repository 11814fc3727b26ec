//! CSV lead import: header mapping, text encodings, and per-row parsing with row/column
//! errors. The reader streams: it holds one row at a time, so a file of any size is read
//! in bounded memory; the facade ([`crate::Crm::import_leads_csv`]) writes valid rows in
//! batches, one transaction each.

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::contact_info::Region;
use crate::error::{Error, Result};
use crate::lead::{LeadData, LeadField, LeadInput};

/// How the bytes of the file are to be read as text.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 (a leading byte-order mark is skipped); a field that is not valid UTF-8 makes
    /// its row an error rather than being guessed at.
    #[default]
    Utf8,
    /// ISO-8859-1 (Latin-1): every byte is a character, so nothing is refused.
    Latin1,
}

/// How a CSV file maps onto leads.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvMapping {
    /// Lead field per header name.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub columns: Vec<(String, LeadField)>,
    /// Whether headers not in `columns` are mapped by [`LeadField::guess`] (unknown ones
    /// become custom fields) or ignored.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub guess_others: bool,
    /// Region for phone numbers without a country code.
    pub default_region: Region,
    /// Field delimiter (`b','`, `b';'`, `b'\t'`).
    #[serde(default = "comma")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub delimiter: u8,
    /// Text encoding.
    #[serde(default)]
    pub encoding: TextEncoding,
}

fn comma() -> u8 {
    b','
}

impl CsvMapping {
    /// Guesses every header not mapped with [`CsvMapping::column`]; comma-separated UTF-8.
    pub fn guess(default_region: Region) -> Self {
        CsvMapping {
            columns: Vec::new(),
            guess_others: true,
            default_region,
            delimiter: b',',
            encoding: TextEncoding::Utf8,
        }
    }

    /// Maps only the headers named with [`CsvMapping::column`]; comma-separated UTF-8.
    pub fn explicit(default_region: Region) -> Self {
        CsvMapping {
            guess_others: false,
            ..Self::guess(default_region)
        }
    }

    /// Maps `header` onto `field` (builder style).
    #[must_use]
    pub fn column(mut self, header: &str, field: LeadField) -> Self {
        self.columns.push((header.to_string(), field));
        self
    }
}

/// One problem with one row of an import.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The 1-based data row (the header is row 0).
    pub row: usize,
    /// The column header, when the problem is with one column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub column: Option<String>,
    /// What was wrong.
    pub reason: String,
}

/// One data row, parsed or not.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRow {
    /// The 1-based data row.
    pub row: usize,
    /// The lead data, or every problem of the row.
    pub result: std::result::Result<LeadData, Vec<RowError>>,
}

/// Reads a CSV file row by row into lead data.
///
/// # Examples
/// ```
/// use crm_core::lead::import::{CsvLeadReader, CsvMapping};
/// use crm_core::Region;
/// let csv = "Name,E-mail,Company\nAda Lovelace,ada@example.com,Engines\nBob,nope,\n";
/// let mut reader = CsvLeadReader::new(csv.as_bytes(), CsvMapping::guess(Region::parse("GB")?))?;
/// let rows: Vec<_> = reader.by_ref().collect();
/// assert!(rows[0].result.is_ok());
/// let errors = rows[1].result.as_ref().unwrap_err();
/// assert_eq!(errors[0].row, 2);
/// assert_eq!(errors[0].column.as_deref(), Some("E-mail"));
/// # Ok::<(), crm_core::Error>(())
/// ```
pub struct CsvLeadReader<R: Read> {
    reader: csv::Reader<R>,
    headers: Vec<String>,
    /// Lead field per column position (`None`: ignored column).
    fields: Vec<Option<LeadField>>,
    mapping: CsvMapping,
    record: csv::ByteRecord,
    row: usize,
    done: bool,
}

impl<R: Read> CsvLeadReader<R> {
    /// Opens a reader over `input` and reads its header row.
    ///
    /// # Errors
    /// [`Error::Input`] when the header cannot be read or is not valid text;
    /// [`Error::Validation`] when a mapped header is missing from the file.
    pub fn new(input: R, mapping: CsvMapping) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(mapping.delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(input);
        let raw_headers = reader
            .byte_headers()
            .map_err(|e| Error::Input {
                message: format!("cannot read the header row: {e}"),
            })?
            .clone();
        let mut headers = Vec::with_capacity(raw_headers.len());
        for (i, h) in raw_headers.iter().enumerate() {
            let h = if i == 0 {
                h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h)
            } else {
                h
            };
            let text = decode(h, mapping.encoding).ok_or_else(|| Error::Input {
                message: format!("header {} is not valid UTF-8", i + 1),
            })?;
            headers.push(text.trim().to_string());
        }
        let mut problems = crate::error::Problems::new();
        for (header, _) in &mapping.columns {
            if !headers.iter().any(|h| h == header) {
                problems.push(header.clone(), "mapped column is not in the file");
            }
        }
        problems.finish(())?;
        let fields = headers
            .iter()
            .map(|h| {
                let named = mapping.columns.iter().find(|(name, _)| name == h);
                match named {
                    Some((_, field)) => Some(field.clone()),
                    None if mapping.guess_others && !h.is_empty() => Some(LeadField::guess(h)),
                    None => None,
                }
            })
            .collect();
        Ok(CsvLeadReader {
            reader,
            headers,
            fields,
            mapping,
            record: csv::ByteRecord::new(),
            row: 0,
            done: false,
        })
    }

    /// The header row.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The lead field each column maps to (`None`: ignored).
    pub fn column_fields(&self) -> &[Option<LeadField>] {
        &self.fields
    }

    fn header_for(&self, field_name: &str) -> Option<String> {
        self.fields
            .iter()
            .position(|f| f.as_ref().is_some_and(|f| f.name() == field_name))
            .map(|i| self.headers[i].clone())
    }

    fn parse_record(&self) -> std::result::Result<LeadData, Vec<RowError>> {
        let row = self.row;
        if self.record.len() != self.headers.len() {
            return Err(vec![RowError {
                row,
                column: None,
                reason: format!(
                    "has {} fields, the header has {}",
                    self.record.len(),
                    self.headers.len()
                ),
            }]);
        }
        let mut input = LeadInput::new();
        let mut errors = Vec::new();
        for (i, bytes) in self.record.iter().enumerate() {
            let Some(field) = &self.fields[i] else {
                continue;
            };
            match decode(bytes, self.mapping.encoding) {
                Some(text) => input.set(field.clone(), text),
                None => errors.push(RowError {
                    row,
                    column: Some(self.headers[i].clone()),
                    reason: "is not valid UTF-8 (choose the Latin-1 encoding for this file?)"
                        .into(),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        input.parse(self.mapping.default_region).map_err(|e| {
            e.problems()
                .into_iter()
                .map(|p| RowError {
                    row,
                    column: self.header_for(&p.field).or(Some(p.field)),
                    reason: p.reason,
                })
                .collect()
        })
    }
}

fn decode(bytes: &[u8], encoding: TextEncoding) -> Option<String> {
    match encoding {
        TextEncoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_string),
        TextEncoding::Latin1 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

impl<R: Read> Iterator for CsvLeadReader<R> {
    type Item = CsvRow;

    fn next(&mut self) -> Option<CsvRow> {
        if self.done {
            return None;
        }
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                self.row += 1;
                Some(CsvRow {
                    row: self.row,
                    result: self.parse_record(),
                })
            }
            Err(e) => {
                // A malformed quote or an I/O error: report it on the row it hit and stop,
                // since the reader cannot resynchronise reliably after it.
                self.row += 1;
                self.done = true;
                Some(CsvRow {
                    row: self.row,
                    result: Err(vec![RowError {
                        row: self.row,
                        column: None,
                        reason: format!("unreadable: {e}"),
                    }]),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region() -> Region {
        Region::parse("US").unwrap()
    }

    #[test]
    fn bom_and_latin1_are_handled() {
        let csv = b"\xEF\xBB\xBFlast name,email\nM\xFCller,m@example.com\n";
        let mut utf8 = CsvLeadReader::new(&csv[..], CsvMapping::guess(region())).unwrap();
        assert_eq!(utf8.headers()[0], "last name");
        let row = utf8.next().unwrap();
        assert_eq!(
            row.result.unwrap_err()[0].column.as_deref(),
            Some("last name")
        );

        let mut mapping = CsvMapping::guess(region());
        mapping.encoding = TextEncoding::Latin1;
        let mut latin = CsvLeadReader::new(&csv[..], mapping).unwrap();
        assert_eq!(
            latin.next().unwrap().result.unwrap().last_name.as_deref(),
            Some("Müller")
        );
    }

    #[test]
    fn ragged_rows_and_missing_columns_are_reported() {
        let csv = "last,email\nA,a@example.com,extra\n";
        let mut r = CsvLeadReader::new(csv.as_bytes(), CsvMapping::guess(region())).unwrap();
        let errors = r.next().unwrap().result.unwrap_err();
        assert!(errors[0].reason.contains("3 fields"));
        let mapping = CsvMapping::guess(region()).column("Surname", LeadField::LastName);
        let err = CsvLeadReader::new(csv.as_bytes(), mapping).err().unwrap();
        assert_eq!(err.code(), "validation_failed");
    }
}

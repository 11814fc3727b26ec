//! CSV import into the store: rows are read one at a time ([`CsvLeadReader`]), valid rows
//! are written in batches of [`ImportOptions::batch_size`], one transaction per batch, so
//! memory stays bounded whatever the file size and a failure never leaves half a batch.
//! Invalid rows and duplicates are reported by row; progress is reported after every batch.

use std::io::Read;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::id::LeadId;
use crate::lead::import::{CsvLeadReader, CsvMapping, RowError};
use crate::lead::{LeadData, LeadSource};
use crate::store::Store;

use super::{Crm, DuplicateMatch, duplicates, insert_lead_found};

/// What to do with a row that duplicates a stored lead or contact (or an earlier row).
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// Report it and leave it out when the match is sure (the same e-mail or phone, or a
    /// similar name with no e-mail or phone that differs); import a possible duplicate.
    #[default]
    Skip,
    /// Import it; the `LeadCaptured` event lists what it may duplicate.
    Keep,
}

/// How to import.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// A label for this import (usually the file name); kept in each lead's source.
    pub batch_label: String,
    /// Rows per transaction (1 000 when left out).
    #[serde(default = "default_batch_size")]
    #[cfg_attr(feature = "uniffi", uniffi(default = 1000))]
    pub batch_size: usize,
    /// Duplicates (`skip` when left out).
    #[serde(default)]
    pub duplicates: DuplicatePolicy,
    /// At most this many row errors and duplicates are kept in the report (counts are
    /// always exact), so a huge bad file cannot exhaust memory (10 000 when left out).
    #[serde(default = "default_max_reported")]
    #[cfg_attr(feature = "uniffi", uniffi(default = 10000))]
    pub max_reported: usize,
}

fn default_batch_size() -> usize {
    1000
}

fn default_max_reported() -> usize {
    10_000
}

impl ImportOptions {
    /// Defaults for a file labelled `label`: batches of 1 000, skip duplicates, report up
    /// to 10 000 problems.
    pub fn new(label: impl Into<String>) -> Self {
        ImportOptions {
            batch_label: label.into(),
            batch_size: default_batch_size(),
            duplicates: DuplicatePolicy::Skip,
            max_reported: default_max_reported(),
        }
    }
}

/// A row left out as a duplicate.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateRow {
    /// The 1-based data row.
    pub row: usize,
    /// What it duplicates.
    pub matches: Vec<DuplicateMatch>,
}

/// Where an import stands; passed to the progress callback after every batch.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportProgress {
    /// Data rows read so far.
    pub rows_read: usize,
    /// Leads written (committed) so far.
    pub imported: usize,
    /// Rows refused as invalid.
    pub invalid: usize,
    /// Rows left out as duplicates.
    pub duplicates: usize,
}

/// The outcome of an import.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    /// Final counts.
    pub progress: ImportProgress,
    /// Problems of invalid rows (up to `max_reported`).
    pub errors: Vec<RowError>,
    /// Rows left out as duplicates (up to `max_reported`).
    pub duplicates: Vec<DuplicateRow>,
    /// The first lead imported.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub first_lead: Option<LeadId>,
    /// The last lead imported.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_lead: Option<LeadId>,
}

impl<S: Store> Crm<S> {
    /// Imports leads from a CSV stream; see the module docs.
    ///
    /// # Errors
    /// [`crate::Error::Input`] or [`crate::Error::Validation`] when the header cannot be
    /// used (nothing is written); [`crate::Error::InvalidValue`] for a zero batch size;
    /// [`crate::Error::Storage`] when a batch cannot be written — the batches before it stay
    /// committed, as the last progress report said, and the failed batch left nothing.
    pub fn import_leads_csv<R: Read>(
        &self,
        input: R,
        mapping: CsvMapping,
        options: &ImportOptions,
        mut progress: impl FnMut(&ImportProgress),
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        self.require(
            crate::access::SystemPermission::Import,
            crate::store::EntityKind::Lead,
        )?;
        if options.batch_size == 0 {
            return Err(crate::Error::invalid(
                "batch_size",
                "0",
                "must be at least 1",
            ));
        }
        let reader = CsvLeadReader::new(input, mapping)?;
        let mut report = ImportReport::default();
        // Room for a batch, but not what a huge batch size would reserve up front.
        let mut batch: Vec<(usize, LeadData)> = Vec::with_capacity(options.batch_size.min(4096));
        crate::job::checkpoint(0, None)?;
        for row in reader {
            report.progress.rows_read += 1;
            match row.result {
                Ok(data) => batch.push((row.row, data)),
                Err(errors) => {
                    report.progress.invalid += 1;
                    let room = options.max_reported.saturating_sub(report.errors.len());
                    report.errors.extend(errors.into_iter().take(room));
                }
            }
            if batch.len() >= options.batch_size {
                self.write_batch(&mut batch, options, &mut report, now)?;
                progress(&report.progress);
                // after a commit: a cancelled job stops with the batches before written
                crate::job::checkpoint(report.progress.rows_read, None)?;
            }
        }
        if !batch.is_empty() {
            self.write_batch(&mut batch, options, &mut report, now)?;
        }
        progress(&report.progress);
        Ok(report)
    }

    fn write_batch(
        &self,
        batch: &mut Vec<(usize, LeadData)>,
        options: &ImportOptions,
        report: &mut ImportReport,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let rows = std::mem::take(batch);
        // Counted into the report only after the commit, so a failed batch reports nothing.
        let (ids, dups) = self.write(|tx| {
            let mut ids = Vec::new();
            let mut dups = Vec::new();
            let rules = duplicates::rules_in_force(&*tx)?;
            for (row, data) in rows {
                let matches = duplicates::find_with(&*tx, &data, None, &rules)?;
                // a row is left out only for a sure match: the same e-mail or phone, or a
                // similar name with nothing that tells them apart; a possible duplicate is
                // imported and put on the review list
                if options.duplicates == DuplicatePolicy::Skip
                    && matches.iter().any(|m| !m.possible)
                {
                    dups.push(DuplicateRow { row, matches });
                    continue;
                }
                let source = LeadSource::CsvImport {
                    batch: options.batch_label.clone(),
                    row: row as u64,
                };
                ids.push(insert_lead_found(tx, source, data, matches, now)?.lead.id);
            }
            Ok((ids, dups))
        })?;
        report.progress.imported += ids.len();
        report.progress.duplicates += dups.len();
        let room = options.max_reported.saturating_sub(report.duplicates.len());
        report.duplicates.extend(dups.into_iter().take(room));
        if report.first_lead.is_none() {
            report.first_lead = ids.first().copied();
        }
        if let Some(last) = ids.last() {
            report.last_lead = Some(*last);
        }
        Ok(())
    }
}

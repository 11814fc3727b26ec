//! Stored records of one kind as their JSON documents, in id order, held in one buffer:
//! what a binding that builds its own objects straight from the JSON reads in place of
//! typed records (no Rust value is made for them). The documents are the serde form of
//! the record, exactly as [`super::WriteExt::update`] wrote them.

use crate::Result;

use super::{Entity, EntityKind, ReadTx};

/// The documents of one kind's records, in id order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Documents {
    kind: Option<EntityKind>,
    text: String,
    /// Per record: its id, its version and where its document ends in `text`.
    rows: Vec<(u64, u64, usize)>,
}

/// One stored record: its id, its version and its JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document<'a> {
    /// Its id.
    pub id: u64,
    /// Its version (the store's: the one a write must name).
    pub version: u64,
    /// Its JSON document.
    pub json: &'a str,
}

impl Documents {
    /// How many records.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The kind of record they are (`None` for an empty set made by `default`).
    pub fn kind(&self) -> Option<EntityKind> {
        self.kind
    }

    /// The documents, in id order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Document<'_>> + '_ {
        let mut start = 0;
        self.rows.iter().map(move |&(id, version, end)| {
            let json = &self.text[start..end];
            start = end;
            Document { id, version, json }
        })
    }

    /// Reads every record of `kind`, a page at a time, with a checkpoint of the current
    /// [`crate::job::Job`] before each page.
    pub(super) fn read<T: ReadTx + ?Sized>(tx: &T, kind: EntityKind) -> Result<Self> {
        const PAGE: usize = 16_384;
        let mut out = Documents {
            kind: Some(kind),
            ..Documents::default()
        };
        let mut after = 0;
        loop {
            crate::job::checkpoint(out.len(), None)?;
            let visited = tx.visit_raw(kind, after, PAGE, &mut |id, version, json| {
                after = id;
                out.text.push_str(json);
                out.rows.push((id, version, out.text.len()));
                Ok(())
            })?;
            if visited < PAGE {
                return Ok(out);
            }
        }
    }
}

/// The typed record of one document (what a binding falls back to for a document it
/// cannot read itself).
///
/// # Errors
/// [`Error::Corrupt`] when it does not decode as an `E`.
pub fn decode_document<E: Entity>(doc: Document<'_>) -> Result<E> {
    super::decode_parts(doc.id, doc.version, doc.json)
}

/// A use case's result that is every stored record of one kind (`Vec<Lead>`): what a use
/// case marked `every Record` in the declaration returns, so that a binding can read
/// [`Documents`] of `Record` in its place.
pub trait Listed {
    /// The record.
    type Record: Entity;
}

impl<E: Entity> Listed for Vec<E> {
    type Record = E;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::store::{MemoryStore, Store};

    #[test]
    fn documents_are_each_record_as_stored_in_id_order() {
        let store = MemoryStore::new();
        store
            .write(|tx| {
                for (id, doc) in [(2u64, r#"{"b":2}"#), (1, r#"{"a":1}"#), (7, r#"{"c":"é"}"#)] {
                    tx.put_raw(EntityKind::Lead, id, 0, doc, &Default::default())?;
                }
                tx.put_raw(EntityKind::Lead, 2, 1, r#"{"b":3}"#, &Default::default())?;
                tx.put_raw(EntityKind::Contact, 3, 0, "{}", &Default::default())
            })
            .unwrap();
        let docs = store
            .read(|tx| Documents::read(tx, EntityKind::Lead))
            .unwrap();
        let seen: Vec<_> = docs.iter().map(|d| (d.id, d.version, d.json)).collect();
        assert_eq!(
            seen,
            [
                (1, 1, r#"{"a":1}"#),
                (2, 2, r#"{"b":3}"#),
                (7, 1, r#"{"c":"é"}"#)
            ]
        );
        assert_eq!(docs.kind(), Some(EntityKind::Lead));
        assert!(
            store
                .read(|tx| Documents::read(tx, EntityKind::Case))
                .unwrap()
                .is_empty()
        );
        let bad = decode_document::<crate::Lead>(docs.iter().next().unwrap());
        assert!(matches!(bad, Err(Error::Corrupt { id: 1, .. })), "{bad:?}");
    }
}

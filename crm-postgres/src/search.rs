//! Full-text search in PostgreSQL: a table `crm_search` of one row per live record of a
//! searched kind ([`crm_core::search::SEARCHED`]), kept in step with every write in the
//! same transaction ([`index`]), so every app server on the database searches the same
//! index the moment a write commits.
//!
//! Each row holds the searched fields' texts (`f0`…`f5`, in order of weight), their
//! weighted length, and a `tsvector` of their words with a GIN index. The words are
//! crm-core's own ([`crm_core::search::tokens`]: lower-cased, accents taken off, split on
//! anything that is not a letter or digit), put into the vector as they are — no
//! text-search configuration reads them again — so the same words match as in the other
//! stores. The index finds the matching records; they are ranked with crm-core's BM25
//! ([`crm_core::search::bm25`]) on figures kept per kind in `crm_search_stats` (how many
//! documents, their total weighted length) and each word's document count, so hits come in
//! the same order as from the memory store.

use std::collections::{BTreeSet, HashMap};

use crm_core::search::{Corpus, SEARCH_COLUMNS, SEARCHED, TextHit, TextQuery};
use crm_core::store::EntityKind;
use crm_core::{Error, Result};
use postgres::GenericClient;

use crate::db_err;

/// Per kind position, documents and weighted length added by a transaction's writes.
pub(crate) type Deltas = HashMap<i16, (i64, f64)>;

pub(crate) fn position(kind: EntityKind) -> i16 {
    EntityKind::ALL
        .iter()
        .position(|k| *k == kind)
        .and_then(|p| i16::try_from(p).ok())
        .unwrap_or(-1)
}

pub(crate) fn is_searched(kind: EntityKind) -> bool {
    SEARCHED.iter().any(|(k, _)| *k == kind)
}

/// A lexeme as `tsquery` input: quoted, with quotes and backslashes doubled.
fn lexeme(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('\'');
    for c in word.chars() {
        if c == '\'' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A record's row in the index: its searched texts, their words and weighted length.
pub(crate) struct SearchRow {
    texts: Vec<String>,
    words: Vec<String>,
    pub(crate) len: f64,
}

impl SearchRow {
    /// The row of a record of `kind` reading `data`; `None` when the record is not
    /// searched in its state (or its kind is not searched at all).
    pub(crate) fn of(kind: EntityKind, data: &str) -> Option<Self> {
        if !is_searched(kind) {
            return None;
        }
        let texts = crm_core::search::document_texts(kind, data)?;
        let words = texts
            .iter()
            .flat_map(|t| crm_core::search::tokens(t))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let len = crm_core::search::weighted_len(&texts);
        Some(SearchRow { texts, words, len })
    }

    /// The text of field `i`, empty past the kind's fields.
    pub(crate) fn field(&self, i: usize) -> &str {
        self.texts.get(i).map_or("", String::as_str)
    }

    pub(crate) fn words(&self) -> &Vec<String> {
        &self.words
    }
}

/// Puts a record's row in the index as `data` reads (`None`: the record is gone or
/// archived, or is not searched in its state), adding what changed to `deltas`.
///
/// One statement either way: an upsert that also returns the old row's length, or a
/// delete.
pub(crate) fn index(
    c: &mut impl GenericClient,
    deltas: &mut Deltas,
    kind: EntityKind,
    id: i64,
    data: Option<&str>,
) -> Result<()> {
    if !is_searched(kind) {
        return Ok(());
    }
    let k = position(kind);
    let delta = deltas.entry(k).or_insert((0, 0.0));
    let old: Option<f64> = match data.and_then(|d| SearchRow::of(kind, d)) {
        Some(row) => {
            let r = c
                .query_one(
                    "WITH old AS (SELECT len FROM crm_search WHERE kind = $1 AND id = $2) \
                     INSERT INTO crm_search (kind, id, f0, f1, f2, f3, f4, f5, words, len) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, array_to_tsvector($9), $10) \
                     ON CONFLICT (kind, id) DO UPDATE SET f0 = excluded.f0, \
                     f1 = excluded.f1, f2 = excluded.f2, f3 = excluded.f3, f4 = excluded.f4, \
                     f5 = excluded.f5, words = excluded.words, len = excluded.len \
                     RETURNING (SELECT len FROM old)",
                    &[
                        &k,
                        &id,
                        &row.field(0),
                        &row.field(1),
                        &row.field(2),
                        &row.field(3),
                        &row.field(4),
                        &row.field(5),
                        row.words(),
                        &row.len,
                    ],
                )
                .map_err(db_err)?;
            delta.0 += 1;
            delta.1 += row.len;
            r.get(0)
        }
        None => c
            .query_opt(
                "DELETE FROM crm_search WHERE kind = $1 AND id = $2 RETURNING len",
                &[&k, &id],
            )
            .map_err(db_err)?
            .map(|r| r.get(0)),
    };
    if let Some(old) = old {
        delta.0 -= 1;
        delta.1 -= old;
    }
    Ok(())
}

/// Adds a transaction's changes to the figures per kind.
pub(crate) fn flush(c: &mut impl GenericClient, deltas: &Deltas) -> Result<()> {
    for (kind, (documents, len)) in deltas {
        if *documents == 0 && *len == 0.0 {
            continue;
        }
        c.execute(
            "INSERT INTO crm_search_stats (kind, documents, total_len) VALUES ($1, $2, $3) \
             ON CONFLICT (kind) DO UPDATE SET documents = crm_search_stats.documents + \
             excluded.documents, total_len = crm_search_stats.total_len + excluded.total_len",
            &[kind, documents, len],
        )
        .map_err(db_err)?;
    }
    Ok(())
}

/// Answers a query, best first (ties by kind, then id).
///
/// `deltas`: what the calling transaction changed and has not added to the figures yet.
pub(crate) fn query(
    c: &mut impl GenericClient,
    deltas: &Deltas,
    q: &TextQuery,
) -> Result<Vec<TextHit>> {
    if q.terms.is_empty() || q.kinds.is_empty() {
        return Ok(Vec::new());
    }
    let last = q.terms.len() - 1;
    let words: Vec<String> = q
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let l = lexeme(t);
            if i == last { format!("{l}:*") } else { l }
        })
        .collect();
    let kinds: Vec<i16> = q.kinds.iter().map(|k| position(*k)).collect();
    let expr = words.join(if q.all { " & " } else { " | " });
    let rows = c
        .query(
            "SELECT kind, id, f0, f1, f2, f3, f4, f5 FROM crm_search \
             WHERE words @@ CAST($1::text AS tsquery) AND kind = ANY($2)",
            &[&expr, &kinds],
        )
        .map_err(db_err)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // the figures of the kinds searched, and each word's document count
    let stats = c
        .query_one(
            "SELECT coalesce(sum(documents), 0)::bigint, coalesce(sum(total_len), 0) \
             FROM crm_search_stats WHERE kind = ANY($1)",
            &[&kinds],
        )
        .map_err(db_err)?;
    let (mut documents, mut total_len): (i64, f64) = (stats.get(0), stats.get(1));
    for k in &kinds {
        if let Some((d, l)) = deltas.get(k) {
            documents += d;
            total_len += l;
        }
    }
    let mut df = Vec::with_capacity(words.len());
    for w in &words {
        let n: i64 = if words.len() == 1 {
            i64::try_from(rows.len()).unwrap_or(i64::MAX)
        } else {
            c.query_one(
                "SELECT count(*) FROM crm_search \
                 WHERE words @@ CAST($1::text AS tsquery) AND kind = ANY($2)",
                &[w, &kinds],
            )
            .map_err(db_err)?
            .get(0)
        };
        df.push(u64::try_from(n).unwrap_or(0));
    }
    let corpus = Corpus {
        documents: u64::try_from(documents).unwrap_or(0),
        total_len,
        df,
    };
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let k: i16 = row.get(0);
        let kind = usize::try_from(k)
            .ok()
            .and_then(|i| EntityKind::ALL.get(i).copied())
            .ok_or_else(|| Error::Corrupt {
                kind: "search index".into(),
                id: 0,
                message: format!("no kind at position {k}"),
            })?;
        let id: i64 = row.get(1);
        let n = crm_core::search::searched_fields(kind).map_or(0, <[_]>::len);
        let texts: Vec<String> = (0..SEARCH_COLUMNS.min(n))
            .map(|i| row.get::<_, String>(2 + i))
            .collect();
        let (tf, len) = crm_core::search::frequencies(&texts, q);
        if !crm_core::search::answers(&tf, q) {
            continue;
        }
        hits.push(TextHit {
            kind,
            id: u64::try_from(id).unwrap_or(0),
            score: crm_core::search::bm25(&tf, len, &corpus),
            texts,
        });
    }
    crm_core::search::best_first(&mut hits, q.limit);
    Ok(hits)
}

/// Empties the index and fills it from the live records, then notes the format.
pub(crate) fn rebuild(c: &mut impl GenericClient) -> Result<()> {
    c.batch_execute("DELETE FROM crm_search; DELETE FROM crm_search_stats;")
        .map_err(db_err)?;
    let mut deltas = Deltas::new();
    for (kind, _) in SEARCHED {
        let rows = c
            .query(
                &format!(
                    "SELECT id, data FROM {} WHERE NOT archived",
                    crate::schema::table(*kind)
                ),
                &[],
            )
            .map_err(db_err)?;
        for row in rows {
            let id: i64 = row.get(0);
            let data: &str = row.get(1);
            index(c, &mut deltas, *kind, id, Some(data))?;
        }
    }
    flush(c, &deltas)?;
    c.execute(
        "INSERT INTO crm_meta (key, value) VALUES ('search_format', $1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&i64::from(crm_core::search::SEARCH_FORMAT)],
    )
    .map_err(db_err)?;
    Ok(())
}

//! Full-text search in an FTS5 table (`search`), kept in step with every write of a
//! searched kind in the same transaction ([`index`]).
//!
//! One row per live record of a searched kind ([`crm_core::search::SEARCHED`]); its rowid is
//! the kind's position in [`EntityKind::ALL`] times 2^40 plus the record's id, so a write
//! finds its row without a lookup and a search of one kind reads one rowid range (FTS5
//! seeks rowid ranges in its doclists; a kind column in the match would make every query
//! read a doclist as long as the kind). Columns `f0`…`f5` hold the searched fields' texts
//! in order of weight. The table's rank is BM25 with the weights of
//! [`crm_core::search::COLUMN_WEIGHTS`], so `ORDER BY rank LIMIT n` lets FTS5 keep only the
//! best `n`. The tokenizer is `unicode61` with `remove_diacritics 2`, as
//! [`crm_core::search::tokens`] reads words.
//!
//! The index holds what [`crm_core::search::SEARCH_FORMAT`] says; a store opened by a
//! build with another format rebuilds it from the records ([`rebuild`]).

use crm_core::search::{COLUMN_WEIGHTS, SEARCH_COLUMNS, SEARCHED, TextHit, TextQuery};
use crm_core::store::EntityKind;
use crm_core::{Error, Result};
use rusqlite::Connection;

use crate::db_err;

const KIND_SHIFT: u32 = 40;

/// The statements that make the table (its rank function set once).
pub(crate) fn create_sql() -> String {
    let cols: Vec<String> = (0..SEARCH_COLUMNS).map(|i| format!("f{i}")).collect();
    let weights: Vec<String> = COLUMN_WEIGHTS.iter().map(|w| format!("{w:.1}")).collect();
    format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5({}, \
         tokenize = 'unicode61 remove_diacritics 2');
         INSERT INTO search (search, rank) VALUES ('rank', 'bm25({})');
         INSERT INTO search (search, rank) VALUES ('secure-delete', 1);
         CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;",
        cols.join(", "),
        weights.join(", ")
    )
}

fn position(kind: EntityKind) -> u64 {
    EntityKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u64
}

fn rowid(kind: EntityKind, id: u64) -> Result<i64> {
    i64::try_from((position(kind) << KIND_SHIFT) | id)
        .ok()
        .filter(|_| id < (1 << KIND_SHIFT))
        .ok_or_else(|| Error::storage(format!("{kind} id {id} is past the search index's range")))
}

pub(crate) fn is_searched(kind: EntityKind) -> bool {
    SEARCHED.iter().any(|(k, _)| *k == kind)
}

/// Puts a record's row in the index as `data` reads (`None`: the record is gone or
/// archived, or is not searched in its state); `fresh`: nothing of the record is indexed
/// yet (just inserted, or the index emptied), so there is no old row to take out.
pub(crate) fn index(
    conn: &Connection,
    kind: EntityKind,
    id: u64,
    data: Option<&str>,
    fresh: bool,
) -> Result<()> {
    if !is_searched(kind) {
        return Ok(());
    }
    let row = rowid(kind, id)?;
    // a record just inserted has nothing indexed yet (ids are never handed out twice)
    if !fresh {
        conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")
            .and_then(|mut st| st.execute([row]))
            .map_err(db_err)?;
    }
    let Some(texts) = data.and_then(|d| crm_core::search::document_texts(kind, d)) else {
        return Ok(());
    };
    let mut st = conn.prepare_cached(insert_sql()).map_err(db_err)?;
    st.raw_bind_parameter(1, row).map_err(db_err)?;
    for i in 0..SEARCH_COLUMNS {
        let text = texts.get(i).map_or("", String::as_str);
        st.raw_bind_parameter(i + 2, text).map_err(db_err)?;
    }
    st.raw_execute().map_err(db_err)?;
    Ok(())
}

/// `INSERT INTO search (rowid, f0, …) VALUES (?1, ?2, …)`, made once.
fn insert_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let cols: Vec<String> = (0..SEARCH_COLUMNS).map(|i| format!("f{i}")).collect();
        let marks: Vec<String> = (1..=SEARCH_COLUMNS + 1).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO search (rowid, {}) VALUES ({})",
            cols.join(", "),
            marks.join(", ")
        )
    })
}

/// A word as an FTS5 string (quotes doubled), a prefix when `prefix`.
fn quoted(term: &str, prefix: bool) -> String {
    let q = format!("\"{}\"", term.replace('"', "\"\""));
    if prefix { format!("{q}*") } else { q }
}

/// How many times more records than the rarest word a word may be in and still be read
/// from the index; more common words are checked on the rarer words' hits instead.
const COMMON: i64 = 20;
/// How far a word's records are counted.
const PROBE: i64 = 5_000;

/// Answers a query, best first.
///
/// A query for every word whose words differ widely in how many records hold them
/// (`company 4242` where every account is a company) reads only the rarer words from the
/// index and checks the common ones on those hits: merging a doclist as long as the table
/// costs tens of milliseconds on 1M records, checking a few hundred hits a fraction of one.
pub(crate) fn query(conn: &Connection, q: &TextQuery) -> Result<Vec<TextHit>> {
    if q.terms.is_empty() || q.kinds.is_empty() {
        return Ok(Vec::new());
    }
    let last = q.terms.len() - 1;
    let terms: Vec<(&str, bool)> = q
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i == last))
        .collect();
    if q.all && terms.len() > 1 {
        // how many records hold each word, counted up to PROBE: reading a doclist stops
        // there (fts5vocab's counts read all of it: 35 ms for a word in 1M records)
        let mut counts = Vec::with_capacity(terms.len());
        for (t, prefix) in &terms {
            let n: i64 = conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ?1 LIMIT {PROBE})"
                ))
                .and_then(|mut st| st.query_row([quoted(t, *prefix)], |r| r.get(0)))
                .map_err(db_err)?;
            counts.push(n);
        }
        let rarest = counts.iter().copied().min().unwrap_or(0);
        // whole words much more common than the rarest (a prefix is always read)
        let common: Vec<&str> = terms
            .iter()
            .zip(&counts)
            .filter(|((_, prefix), n)| !prefix && **n > rarest.max(1).saturating_mul(COMMON))
            .map(|((t, _), _)| *t)
            .collect();
        if !common.is_empty() {
            let rare: Vec<(&str, bool)> = terms
                .iter()
                .copied()
                .filter(|(t, _)| !common.contains(t))
                .collect();
            let cap = crm_core::search::SEARCH_MAX;
            let read = run(conn, &rare, true, &q.kinds, cap)?;
            let capped = read.len() == cap;
            let mut hits: Vec<TextHit> = read
                .into_iter()
                .filter(|h| {
                    let words: Vec<String> = h
                        .texts
                        .iter()
                        .flat_map(|t| crm_core::search::tokens(t))
                        .collect();
                    common.iter().all(|c| words.iter().any(|w| w == c))
                })
                .take(q.limit)
                .collect();
            if hits.len() == q.limit || !capped {
                hits.truncate(q.limit);
                return Ok(hits);
            }
        }
    }
    run(conn, &terms, q.all, &q.kinds, q.limit)
}

/// Runs one FTS5 query for `terms` (each a word and whether it is a prefix).
fn run(
    conn: &Connection,
    terms: &[(&str, bool)],
    all: bool,
    kinds: &[EntityKind],
    limit: usize,
) -> Result<Vec<TextHit>> {
    let words: Vec<String> = terms.iter().map(|(t, prefix)| quoted(t, *prefix)).collect();
    let joiner = if all { " AND " } else { " OR " };
    let cols: Vec<String> = (0..SEARCH_COLUMNS).map(|i| format!("f{i}")).collect();
    // the kinds: all of them (no condition), one (a rowid range), or a few (judged on
    // each match)
    let every = SEARCHED.iter().all(|(k, _)| kinds.contains(k));
    let kinds = if every {
        String::new()
    } else if let [one] = kinds {
        let lo = position(*one) << KIND_SHIFT;
        format!(" AND rowid BETWEEN {lo} AND {}", lo + (1 << KIND_SHIFT) - 1)
    } else {
        let list: Vec<String> = kinds.iter().map(|k| position(*k).to_string()).collect();
        format!(" AND (rowid >> {KIND_SHIFT}) IN ({})", list.join(", "))
    };
    let expr = words.join(joiner);
    let sql = format!(
        "SELECT rowid, -rank, {} FROM search WHERE search MATCH ?1{kinds} ORDER BY rank LIMIT ?2",
        cols.join(", ")
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut st = conn.prepare_cached(&sql).map_err(db_err)?;
    let rows = st
        .query_map(rusqlite::params![expr, limit], |r| {
            let row: i64 = r.get(0)?;
            let score: f64 = r.get(1)?;
            let mut texts = Vec::with_capacity(SEARCH_COLUMNS);
            for i in 0..SEARCH_COLUMNS {
                texts.push(r.get::<_, String>(2 + i)?);
            }
            Ok((row as u64, score, texts))
        })
        .map_err(db_err)?;
    let mut hits = Vec::new();
    for row in rows {
        let (row, score, mut texts) = row.map_err(db_err)?;
        let kind = EntityKind::ALL[(row >> KIND_SHIFT) as usize];
        let n = crm_core::search::searched_fields(kind).map_or(0, <[_]>::len);
        texts.truncate(n);
        hits.push(TextHit {
            kind,
            id: row & ((1 << KIND_SHIFT) - 1),
            score,
            texts,
        });
    }
    Ok(hits)
}

/// Empties the index and fills it from the live records, then notes the format.
pub(crate) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM search", []).map_err(db_err)?;
    for (kind, _) in SEARCHED {
        let mut st = conn
            .prepare(&format!(
                "SELECT id, data FROM rec_{} WHERE archived = 0",
                kind.as_str()
            ))
            .map_err(db_err)?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(db_err)?;
        for row in rows {
            let (id, data) = row.map_err(db_err)?;
            index(conn, *kind, id as u64, Some(&data), true)?;
        }
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('search_format', ?1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [crm_core::search::SEARCH_FORMAT],
    )
    .map_err(db_err)?;
    Ok(())
}

/// The format the index holds (0 when it was never built).
pub(crate) fn format(conn: &Connection) -> Result<u32> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'search_format'",
        [],
        |r| r.get(0),
    )
    .optional()
    .map(Option::unwrap_or_default)
    .map_err(db_err)
}

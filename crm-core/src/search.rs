//! Full-text search across records: leads, contacts, accounts, opportunities, cases and
//! published knowledge articles.
//!
//! What is searched is declared here once ([`SEARCHED`]): per kind, up to
//! [`SEARCH_COLUMNS`] fields, each read from paths in the stored document (a lead's
//! `name` is `data.first_name` and `data.last_name`). The first field of a kind weighs
//! three times, the second twice, the rest once ([`COLUMN_WEIGHTS`]). Custom field values
//! are searched too.
//!
//! Stores keep the index in the transaction that writes the record
//! ([`crate::store::ReadTx::search_text`]): SQLite in an FTS5 table, the memory store by
//! reading its documents at query time. Archived and deleted records leave the index; an
//! article is searchable while published.
//!
//! Text is split into words on anything that is not a letter or digit, lower-cased, and
//! read without accents ([`tokens`]: `Müller` finds `muller`), as SQLite's `unicode61`
//! tokenizer with `remove_diacritics 2` does. The last word of a query matches as a
//! prefix (`lov` finds `Lovelace`). A search first asks for records holding every word,
//! ranked by BM25; when those are fewer than asked for, records holding some of the
//! words follow.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::id::RecordKey;
use crate::store::{EntityKind, Store};

/// The version of what the index holds: a store rebuilds its index when it differs.
pub const SEARCH_FORMAT: u32 = 1;
/// The most fields a kind has searched.
pub const SEARCH_COLUMNS: usize = 6;
/// The weight of each field by its position.
pub const COLUMN_WEIGHTS: [f64; SEARCH_COLUMNS] = [3.0, 2.0, 1.0, 1.0, 1.0, 1.0];
/// The most results one search returns.
pub const SEARCH_MAX: usize = 1000;

/// A searched field of a kind: its name, and the document paths its text is read from
/// (`*` walks a list; an object's values are all read).
#[derive(Debug, Clone, Copy)]
pub struct SearchField {
    /// The name results give for it.
    pub name: &'static str,
    /// Where its text is.
    pub paths: &'static [&'static str],
}

const fn f(name: &'static str, paths: &'static [&'static str]) -> SearchField {
    SearchField { name, paths }
}

/// The kinds searched, and their fields in order of weight.
pub const SEARCHED: &[(EntityKind, &[SearchField])] = &[
    (
        EntityKind::Lead,
        &[
            f("name", &["data.first_name", "data.last_name"]),
            f("company", &["data.company"]),
            f("email", &["data.email"]),
            f("phone", &["data.phone"]),
            f("description", &["data.job_title", "data.description"]),
            f("custom", &["data.custom"]),
        ],
    ),
    (
        EntityKind::Contact,
        &[
            f("name", &["first_name", "last_name"]),
            f("email", &["email"]),
            f("job_title", &["job_title"]),
            f("phone", &["phones.*.number"]),
            f("address", &["addresses.*.city", "addresses.*.country"]),
            f("custom", &["custom"]),
        ],
    ),
    (
        EntityKind::Account,
        &[
            f("name", &["name"]),
            f("domain", &["domain"]),
            f("industry", &["industry"]),
            f("phone", &["phone"]),
            f("address", &["address.city", "address.country"]),
            f("custom", &["custom"]),
        ],
    ),
    (
        EntityKind::Opportunity,
        &[
            f("name", &["name"]),
            f("products", &["products"]),
            f("source", &["source"]),
            f("custom", &["custom"]),
        ],
    ),
    (
        EntityKind::Case,
        &[
            f("subject", &["subject", "number"]),
            f("description", &["description"]),
            f("comments", &["comments.*.body"]),
            f("custom", &["custom"]),
        ],
    ),
    (
        EntityKind::Article,
        &[
            f("title", &["title"]),
            f("tags", &["tags"]),
            f("body", &["body"]),
            f("products", &["products"]),
        ],
    ),
];

/// The searched fields of a kind, if it is searched.
pub fn searched_fields(kind: EntityKind) -> Option<&'static [SearchField]> {
    SEARCHED.iter().find(|(k, _)| *k == kind).map(|(_, f)| *f)
}

/// The words of a text as the index reads them: split on anything that is not a letter
/// or digit, lower-cased, without accents.
pub fn tokens(text: &str) -> Vec<String> {
    let plain: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn collect_text(v: &Value, path: &[&str], out: &mut Vec<String>) {
    match path.split_first() {
        None => match v {
            Value::String(s) => out.push(s.clone()),
            Value::Number(n) => out.push(n.to_string()),
            Value::Array(items) => items.iter().for_each(|i| collect_text(i, path, out)),
            Value::Object(m) => m.values().for_each(|i| collect_text(i, path, out)),
            _ => {}
        },
        Some((&"*", rest)) => {
            if let Value::Array(items) = v {
                items.iter().for_each(|i| collect_text(i, rest, out));
            }
        }
        Some((key, rest)) => {
            if let Some(next) = v.get(key) {
                collect_text(next, rest, out);
            }
        }
    }
}

/// The texts a stored document is indexed with, one per searched field of its kind; `None`
/// when the record is not searched (its kind is not, or an article is not published).
pub fn document_texts(kind: EntityKind, data: &str) -> Option<Vec<String>> {
    let fields = searched_fields(kind)?;
    // only the members the fields start from are read into values; a store calls this on
    // every write of a searched kind, and the rest of a document is most of it
    let mut wanted: Vec<&str> = fields
        .iter()
        .flat_map(|f| f.paths.iter())
        .map(|p| p.split('.').next().unwrap_or(p))
        .collect();
    wanted.push("status");
    let mut de = serde_json::Deserializer::from_str(data);
    let doc =
        Value::Object(serde::de::DeserializeSeed::deserialize(Members(&wanted), &mut de).ok()?);
    if kind == EntityKind::Article && doc.get("status").and_then(Value::as_str) != Some("published")
    {
        return None;
    }
    Some(
        fields
            .iter()
            .map(|field| {
                let mut parts = Vec::new();
                for path in field.paths {
                    let steps: Vec<&str> = path.split('.').collect();
                    collect_text(&doc, &steps, &mut parts);
                }
                parts.join(" ")
            })
            .collect(),
    )
}

/// The members of a JSON object named in `.0`, the others skipped without being built.
struct Members<'a>(&'a [&'a str]);

impl<'de> serde::de::DeserializeSeed<'de> for Members<'_> {
    type Value = serde_json::Map<String, Value>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Members<'_> {
    type Value = serde_json::Map<String, Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.0.contains(&key.as_str()) {
                let value = map.next_value::<Value>()?;
                out.insert(key, value);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// A query as stores answer it ([`crate::store::ReadTx::search_text`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TextQuery {
    /// The words ([`tokens`]); the last matches as a prefix.
    pub terms: Vec<String>,
    /// The kinds searched (never empty).
    pub kinds: Vec<EntityKind>,
    /// Every word must match (`true`), or any (`false`).
    pub all: bool,
    /// The most hits.
    pub limit: usize,
}

/// A record a store found, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct TextHit {
    /// Its kind.
    pub kind: EntityKind,
    /// Its id.
    pub id: u64,
    /// Its BM25 score (higher is better).
    pub score: f64,
    /// Its indexed texts, one per searched field.
    pub texts: Vec<String>,
}

/// Whether `word` matches query term `term` (`prefix`: as its start).
fn matches(word: &str, term: &str, prefix: bool) -> bool {
    if prefix {
        word.starts_with(term)
    } else {
        word == term
    }
}

/// The figures of the searched documents that BM25 weighs a hit with.
#[derive(Debug, Clone, PartialEq)]
pub struct Corpus {
    /// How many documents there are.
    pub documents: u64,
    /// Their weighted length ([`weighted_len`]), added up.
    pub total_len: f64,
    /// Per query term, how many documents hold it.
    pub df: Vec<u64>,
}

/// Per query term, its weighted frequency in a document's texts, and the texts' weighted
/// length (each word counts its field's [`COLUMN_WEIGHTS`]).
pub fn frequencies(texts: &[String], query: &TextQuery) -> (Vec<f64>, f64) {
    let last = query.terms.len().saturating_sub(1);
    let mut tf = vec![0.0; query.terms.len()];
    let mut len = 0.0;
    for (col, text) in texts.iter().enumerate() {
        let w = COLUMN_WEIGHTS.get(col).copied().unwrap_or(1.0);
        for word in tokens(text) {
            len += w;
            for (t, term) in query.terms.iter().enumerate() {
                if matches(&word, term, t == last) {
                    tf[t] += w;
                }
            }
        }
    }
    (tf, len)
}

/// A document's weighted length (as [`frequencies`] counts it).
pub fn weighted_len(texts: &[String]) -> f64 {
    texts
        .iter()
        .enumerate()
        .map(|(col, text)| {
            COLUMN_WEIGHTS.get(col).copied().unwrap_or(1.0) * tokens(text).len() as f64
        })
        .sum()
}

/// Whether a document with term frequencies `tf` answers `query` (every term, or any).
pub fn answers(tf: &[f64], query: &TextQuery) -> bool {
    let hits = tf.iter().filter(|f| **f > 0.0).count();
    if query.all {
        hits == query.terms.len()
    } else {
        hits > 0
    }
}

/// BM25 (k1 = 1.2, b = 0.75) of a document with term frequencies `tf` and weighted length
/// `len` in `corpus`.
pub fn bm25(tf: &[f64], len: f64, corpus: &Corpus) -> f64 {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let n = corpus.documents as f64;
    let avg = if corpus.documents == 0 {
        1.0
    } else {
        (corpus.total_len / n).max(1.0)
    };
    tf.iter()
        .zip(&corpus.df)
        .filter(|(f, _)| **f > 0.0)
        .map(|(f, d)| {
            let d = *d as f64;
            let idf = ((n - d + 0.5) / (d + 0.5) + 1.0).ln();
            idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * len / avg))
        })
        .sum()
}

/// Sorts hits best first (ties by kind, then id) and keeps the first `limit`.
pub fn best_first(hits: &mut Vec<TextHit>, limit: usize) {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.kind.cmp(&b.kind))
            .then(a.id.cmp(&b.id))
    });
    hits.truncate(limit);
}

/// Answers `query` over `docs` (kind, id, texts) with [`bm25`] on the weighted term
/// frequencies: what a store without a full-text engine does.
pub fn rank_documents<'a>(
    docs: impl Iterator<Item = (EntityKind, u64, Vec<String>)> + 'a,
    query: &TextQuery,
) -> Vec<TextHit> {
    type Found = (EntityKind, u64, Vec<String>, Vec<f64>, f64);
    let mut found: Vec<Found> = Vec::new();
    let mut corpus = Corpus {
        documents: 0,
        total_len: 0.0,
        df: vec![0; query.terms.len()],
    };
    for (kind, id, texts) in docs {
        let (tf, len) = frequencies(&texts, query);
        corpus.documents += 1;
        corpus.total_len += len;
        for (t, f) in tf.iter().enumerate() {
            if *f > 0.0 {
                corpus.df[t] += 1;
            }
        }
        if answers(&tf, query) {
            found.push((kind, id, texts, tf, len));
        }
    }
    let mut hits: Vec<TextHit> = found
        .into_iter()
        .map(|(kind, id, texts, tf, len)| TextHit {
            kind,
            id,
            score: bm25(&tf, len, &corpus),
            texts,
        })
        .collect();
    best_first(&mut hits, query.limit);
    hits
}

/// A search across records.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// What to look for, as a person types it (`ada lov`, `acme pump`).
    pub text: String,
    /// The kinds to search (`lead`, `contact`, `account`, `opportunity`, `service_case`,
    /// `article`); all of them when empty.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kinds: Vec<EntityKind>,
    /// The most results (20 when not said, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<u32>,
}

/// A record a search found.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    /// The record (`lead:42`).
    pub record: RecordKey,
    /// What names it: its first searched field (a name, a subject, a title).
    pub title: String,
    /// The field that matched best (`name`, `email`, `custom`, `body`…).
    pub field: String,
    /// That field's text around the first word that matched.
    pub snippet: String,
    /// How well it matched (BM25; higher is better; comparable within one search).
    pub score: f64,
}

/// The field of a hit that matched: the first, by weight, holding a query word.
fn best_field(kind: EntityKind, texts: &[String], terms: &[String]) -> (String, String) {
    let names = searched_fields(kind).unwrap_or_default();
    let last = terms.len().saturating_sub(1);
    for (col, text) in texts.iter().enumerate() {
        let words = tokens(text);
        let hit = terms.iter().enumerate().find_map(|(t, term)| {
            words
                .iter()
                .find(|w| matches(w, term, t == last))
                .map(String::as_str)
        });
        if let Some(word) = hit {
            let name = names.get(col).map_or("", |f| f.name).to_string();
            return (name, snippet(text, word));
        }
    }
    (String::new(), String::new())
}

/// About 100 characters of `text` around the first place `word` (as [`tokens`] reads it)
/// appears, on character boundaries, with `…` where it was cut.
fn snippet(text: &str, word: &str) -> String {
    const AROUND: usize = 40;
    const LEN: usize = 100;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= LEN {
        return text.to_string();
    }
    // find the word's character position by reading words as the tokenizer does
    let mut at = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            if tokens(&w).first().is_some_and(|t| t == word) {
                at = start;
                break;
            }
        } else {
            i += 1;
        }
    }
    let start = at.saturating_sub(AROUND);
    let end = (start + LEN).min(chars.len());
    let mut out: String = chars[start..end].iter().collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

impl<S: Store> Crm<S> {
    /// Searches records by their words: leads, contacts, accounts, opportunities, cases
    /// and published articles (or the kinds the query names). Records holding every word
    /// come first, best first; records holding some follow when those are fewer than the
    /// limit. Archived records are not found.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a kind that is not searched; [`Error::Storage`].
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchResult>> {
        let limit = query.limit.map_or(20, |l| l as usize).clamp(1, SEARCH_MAX);
        let kinds: Vec<EntityKind> = if query.kinds.is_empty() {
            SEARCHED.iter().map(|(k, _)| *k).collect()
        } else {
            for k in &query.kinds {
                if searched_fields(*k).is_none() {
                    let searched: Vec<&str> = SEARCHED.iter().map(|(k, _)| k.as_str()).collect();
                    return Err(Error::invalid(
                        "kinds",
                        k.as_str(),
                        format!("not searched; searched are {}", searched.join(", ")),
                    ));
                }
            }
            query.kinds.clone()
        };
        let hits = self.search_hits(&query.text, kinds, limit)?;
        let terms = tokens(&query.text);
        Ok(hits
            .into_iter()
            .map(|h| {
                let (field, snippet) = best_field(h.kind, &h.texts, &terms);
                SearchResult {
                    record: RecordKey::new(h.kind, h.id),
                    title: h.texts.first().cloned().unwrap_or_default(),
                    field,
                    snippet,
                    score: h.score,
                }
            })
            .collect())
    }

    /// The store's hits for `text` over `kinds`: those with every word, then those with
    /// some.
    pub(crate) fn search_hits(
        &self,
        text: &str,
        kinds: Vec<EntityKind>,
        limit: usize,
    ) -> Result<Vec<TextHit>> {
        let terms = tokens(text);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = TextQuery {
            terms,
            kinds,
            all: true,
            limit,
        };
        self.read(|tx| {
            let mut hits = tx.search_text(&query)?;
            if hits.len() < limit && query.terms.len() > 1 {
                query.all = false;
                for h in tx.search_text(&query)? {
                    if hits.len() >= limit {
                        break;
                    }
                    if !hits.iter().any(|k| k.kind == h.kind && k.id == h.id) {
                        hits.push(h);
                    }
                }
            }
            Ok(hits)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_read_without_case_or_accents() {
        assert_eq!(
            tokens("Jörg Müller-Lüdenscheidt, jörg@bäcker.de"),
            ["jorg", "muller", "ludenscheidt", "jorg", "backer", "de"]
        );
    }

    #[test]
    fn documents_give_their_fields_texts() {
        let lead = r#"{"data": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
            "custom": {"tier": "Gold", "seats": 12}}}"#;
        let texts = document_texts(EntityKind::Lead, lead).unwrap();
        assert_eq!(texts[0], "Ada Lovelace");
        assert_eq!(texts[2], "ada@example.com");
        assert_eq!(texts[5], "Gold 12");
        let draft = r#"{"status": "draft", "title": "T", "body": "B"}"#;
        assert_eq!(document_texts(EntityKind::Article, draft), None);
        assert_eq!(document_texts(EntityKind::Touchpoint, "{}"), None);
    }

    #[test]
    fn documents_are_read_for_their_searched_members_only() {
        // members no field reads are skipped whatever they hold; a searched member's
        // nested values, escaped text and a key written with escapes are read as JSON says
        let account = r#"{"skipped": {"deep": [1, {"x": "y"}], "s": "a \"quoted\" b"},
            "n\u0061me": "Acme \u00c9nergie", "domain": "acme.example",
            "address": {"city": "K\u00f6ln", "street": "Ring 1"}, "trailing": [null, true]}"#;
        let texts = document_texts(EntityKind::Account, account).unwrap();
        let whole: Value = serde_json::from_str(account).unwrap();
        assert_eq!(texts[0], "Acme Énergie");
        assert!(texts.iter().any(|t| t.contains("Köln")), "{texts:?}");
        // the same texts as reading the whole document
        let fields = searched_fields(EntityKind::Account).unwrap();
        for (field, text) in fields.iter().zip(&texts) {
            let mut parts = Vec::new();
            for path in field.paths {
                let steps: Vec<&str> = path.split('.').collect();
                collect_text(&whole, &steps, &mut parts);
            }
            assert_eq!(&parts.join(" "), text);
        }
        assert_eq!(document_texts(EntityKind::Account, "{\"name\": "), None);
        assert_eq!(document_texts(EntityKind::Account, "[1, 2]"), None);
    }

    #[test]
    fn ranking_prefers_every_word_and_heavier_fields() {
        let docs = vec![
            (
                EntityKind::Lead,
                1,
                vec!["Ada Lovelace".into(), "Engines".into()],
            ),
            (
                EntityKind::Lead,
                2,
                vec!["Charles Babbage".into(), "Ada Engines".into()],
            ),
            (
                EntityKind::Lead,
                3,
                vec!["Grace Hopper".into(), "Navy".into()],
            ),
        ];
        let q = |terms: &[&str], all| TextQuery {
            terms: terms.iter().map(|t| t.to_string()).collect(),
            kinds: vec![EntityKind::Lead],
            all,
            limit: 10,
        };
        let ids = |h: Vec<TextHit>| h.into_iter().map(|h| h.id).collect::<Vec<_>>();
        assert_eq!(
            ids(rank_documents(docs.clone().into_iter(), &q(&["ada"], true))),
            [1, 2]
        );
        assert_eq!(
            ids(rank_documents(
                docs.clone().into_iter(),
                &q(&["ada", "lov"], true)
            )),
            [1]
        );
        assert_eq!(
            ids(rank_documents(
                docs.clone().into_iter(),
                &q(&["grace", "ada"], false)
            ))
            .len(),
            3
        );
        assert!(rank_documents(docs.into_iter(), &q(&["lov"], true))[0].score > 0.0);
    }

    #[test]
    fn snippets_cut_around_the_word() {
        let long = format!("{} pump seals {}", "x ".repeat(60), "y ".repeat(60));
        let s = snippet(&long, "pump");
        assert!(s.starts_with('…') && s.ends_with('…') && s.contains("pump seals"));
        assert_eq!(snippet("short text", "text"), "short text");
    }
}

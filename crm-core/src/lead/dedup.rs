//! Duplicate detection among leads and contacts, in O(n) through normalised-key indexes.
//!
//! Two records are duplicates when
//! - their e-mail addresses reach the same mailbox ([`Email::dedup_key`]), or
//! - their E.164 phone numbers are equal, or
//! - their names are similar — Jaro–Winkler similarity of the normalised full names
//!   ([`normalize_name`]) of at least [`NAME_THRESHOLD`] — and so are their companies
//!   (normalised without legal forms, [`normalize_company`], at least
//!   [`COMPANY_THRESHOLD`]) when both have one.
//!
//! Fuzzy comparison never runs over all pairs: records are grouped by three *blocking keys*
//! ([`blocking_keys`]), each made of two of the three fields in full — first + last name,
//! first name + company, last name + company — so two records that differ in at most one
//! of the three fields (a typo, a changed company) share at least one key. Only records
//! that share a key are compared, and each record is compared with at most
//! [`MAX_BLOCK_COMPARISONS`] earlier members of a block, which bounds the work per record
//! whatever the data (a thousand "John Smith"s cost no more than one). Exact-key clusters
//! link each member to the cluster's first record, so 1 000 copies of one address give
//! 999 pairs, not half a million.
//!
//! In memory ([`DedupIndex`], [`find_duplicates`]) keys are 64-bit hashes of their parts,
//! built without allocating; a hash collision can only cause an extra comparison, never a
//! false match, because every candidate is checked with [`matches()`]. Stores index the same
//! keys as strings ([`DedupRecord::blocking_keys`]).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

use rustc_hash::FxHasher;

use serde::{Deserialize, Serialize};

use crate::contact_info::{Email, Phone, normalize_company, normalize_name};
use crate::id::RecordRef;

/// Minimum Jaro–Winkler similarity of two full names for a fuzzy match.
pub const NAME_THRESHOLD: f64 = 0.92;
/// Minimum Jaro–Winkler similarity of two company names for a fuzzy match.
pub const COMPANY_THRESHOLD: f64 = 0.88;
/// At most this many earlier records of one block are compared with a new one.
pub const MAX_BLOCK_COMPARISONS: usize = 32;

/// Why two records were judged duplicates.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum MatchReason {
    /// Same mailbox.
    SameEmail,
    /// Same phone number.
    SamePhone,
    /// Similar name and company.
    SimilarName {
        /// Jaro–Winkler similarity of the names, in `[NAME_THRESHOLD, 1]`.
        similarity: f64,
    },
}

/// What duplicate detection knows about one record: normalised keys only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DedupRecord {
    /// The record.
    pub record: RecordRef,
    /// [`Email::dedup_key`], if it has an e-mail.
    pub email_key: Option<String>,
    /// E.164 phone, if any.
    pub phone: Option<String>,
    /// Normalised full name ("ada lovelace").
    pub name: String,
    /// Normalised company without legal form ("acme").
    pub company: String,
}

impl DedupRecord {
    /// Normalises a record's fields for duplicate detection.
    pub fn new(
        record: RecordRef,
        first_name: Option<&str>,
        last_name: Option<&str>,
        company: Option<&str>,
        email: Option<&Email>,
        phone: Option<&Phone>,
    ) -> Self {
        let first = first_name.map(normalize_name).unwrap_or_default();
        let last = last_name.map(normalize_name).unwrap_or_default();
        let name = match (first.is_empty(), last.is_empty()) {
            (false, false) => format!("{first} {last}"),
            (false, true) => first,
            _ => last,
        };
        DedupRecord {
            record,
            email_key: email.map(Email::dedup_key),
            phone: phone.map(|p| p.as_str().to_string()),
            name,
            company: company.map(normalize_company).unwrap_or_default(),
        }
    }

    /// The blocking keys of this record; see [`blocking_keys`].
    pub fn blocking_keys(&self) -> [Option<String>; 3] {
        let (first, last) = self.name_parts();
        blocking_keys(first, last, &self.company)
    }

    fn name_parts(&self) -> (&str, &str) {
        match self.name.rsplit_once(' ') {
            Some((f, l)) => (f, l),
            None => ("", self.name.as_str()),
        }
    }

    /// The blocking keys as hashes (same parts as [`DedupRecord::blocking_keys`]).
    fn block_hashes(&self) -> [Option<u64>; 3] {
        let (first, last) = self.name_parts();
        let company = self.company.as_str();
        let key = |tag: u8, a: &str, b: &str| {
            (!a.is_empty() && !b.is_empty()).then(|| {
                let mut h = FxHasher::default();
                h.write_u8(tag);
                h.write(a.as_bytes());
                h.write_u8(0xff);
                h.write(b.as_bytes());
                h.finish()
            })
        };
        [
            key(b'n', first, last),
            key(b'f', first, company),
            key(b'l', last, company),
        ]
    }
}

/// The blocking keys of normalised name parts and company: `"n:" + first + "|" + last`,
/// `"f:" + first + "|" + company` and `"l:" + last + "|" + company`; a key is `None` when
/// either of its parts is empty.
pub fn blocking_keys(first: &str, last: &str, company: &str) -> [Option<String>; 3] {
    let key = |tag: &str, a: &str, b: &str| {
        (!a.is_empty() && !b.is_empty()).then(|| format!("{tag}:{a}|{b}"))
    };
    [
        key("n", first, last),
        key("f", first, company),
        key("l", last, company),
    ]
}

fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type HashedMap<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// Reads one exact key (e-mail or phone) of a record.
type ExactField = fn(&DedupRecord) -> &Option<String>;

/// The exact keys, in the order their reasons are reported.
const EXACT_KEYS: [(ExactField, MatchReason); 2] = [
    (|r| &r.email_key, MatchReason::SameEmail),
    (|r| &r.phone, MatchReason::SamePhone),
];

/// How records of one kind are matched: which keys count, and whether names match
/// exactly or fuzzily, at which thresholds. [`DuplicateRules::DEFAULT`] is the rule set
/// the module docs describe.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateRules {
    /// Two records reaching the same mailbox match (`true` when left out).
    #[serde(default = "yes")]
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub email: bool,
    /// Two records with the same phone number match (`true` when left out).
    #[serde(default = "yes")]
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub phone: bool,
    /// How names match; `null` turns name matching off (the default rule when left out).
    #[serde(default = "default_name_rule")]
    pub name: Option<NameRule>,
}

/// How names match.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameRule {
    /// The normalised names must be equal (`false`: similar by Jaro–Winkler at least
    /// `name_threshold`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub exact: bool,
    /// Minimum Jaro–Winkler similarity of the names, in `[0.5, 1]` (0.92).
    #[serde(default = "name_threshold")]
    pub name_threshold: f64,
    /// Minimum similarity of the companies when both records have one, in `[0, 1]`
    /// (0.88; 0 ignores companies).
    #[serde(default = "company_threshold")]
    pub company_threshold: f64,
    /// A record without a company never matches by name (`false`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub require_company: bool,
}

fn yes() -> bool {
    true
}
fn name_threshold() -> f64 {
    NAME_THRESHOLD
}
fn company_threshold() -> f64 {
    COMPANY_THRESHOLD
}
fn default_name_rule() -> Option<NameRule> {
    DuplicateRules::DEFAULT.name
}

impl Default for DuplicateRules {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl DuplicateRules {
    /// Same e-mail, same phone, or a similar name (0.92) at a similar company (0.88).
    pub const DEFAULT: DuplicateRules = DuplicateRules {
        email: true,
        phone: true,
        name: Some(NameRule {
            exact: false,
            name_threshold: NAME_THRESHOLD,
            company_threshold: COMPANY_THRESHOLD,
            require_company: false,
        }),
    };

    /// Checks the thresholds.
    ///
    /// # Errors
    /// [`crate::Error::InvalidValue`] naming the threshold out of range.
    pub fn check(&self) -> crate::Result<()> {
        let Some(n) = &self.name else { return Ok(()) };
        let bad = |field: &str, v: f64, lo: f64| {
            Err(crate::Error::invalid(
                field,
                v.to_string(),
                format!("must be a number from {lo} to 1"),
            ))
        };
        if !(0.5..=1.0).contains(&n.name_threshold) {
            return bad("name.name_threshold", n.name_threshold, 0.5);
        }
        if !(0.0..=1.0).contains(&n.company_threshold) {
            return bad("name.company_threshold", n.company_threshold, 0.0);
        }
        Ok(())
    }
}

/// Whether a match of an incoming record (`new`) with a stored one is only a *possible*
/// duplicate, for a person to judge rather than a sure one: the names are similar, but
/// the incoming record has an e-mail or a phone the stored one does not — a different one
/// (two people of one name at one company), or one where the stored record has none (a
/// business card met before: leaving the newcomer out would lose its details, whoever it
/// is). Sure matches are the same mailbox, the same phone, or a similar name when the
/// incoming record brings no e-mail or phone the stored one lacks.
pub fn only_possible(reason: &MatchReason, new: &DedupRecord, stored: &DedupRecord) -> bool {
    let brings = |n: &Option<String>, s: &Option<String>| n.is_some() && n != s;
    matches!(reason, MatchReason::SimilarName { .. })
        && (brings(&new.email_key, &stored.email_key) || brings(&new.phone, &stored.phone))
}

/// Whether `a` and `b` are duplicates by the default rules, and why. Symmetric:
/// `matches(a, b) == matches(b, a)`.
pub fn matches(a: &DedupRecord, b: &DedupRecord) -> Option<MatchReason> {
    matches_with(a, b, &DuplicateRules::DEFAULT)
}

/// Whether `a` and `b` are duplicates by `rules`, and why (the first key that matches:
/// e-mail, phone, name). Symmetric.
pub fn matches_with(
    a: &DedupRecord,
    b: &DedupRecord,
    rules: &DuplicateRules,
) -> Option<MatchReason> {
    if rules.email && a.email_key.is_some() && a.email_key == b.email_key {
        return Some(MatchReason::SameEmail);
    }
    if rules.phone && a.phone.is_some() && a.phone == b.phone {
        return Some(MatchReason::SamePhone);
    }
    let rule = rules.name.as_ref()?;
    if a.name.is_empty() || b.name.is_empty() {
        return None;
    }
    if rule.require_company && (a.company.is_empty() || b.company.is_empty()) {
        return None;
    }
    if !a.company.is_empty()
        && !b.company.is_empty()
        && rule.company_threshold > 0.0
        && symmetric_jaro_winkler(&a.company, &b.company) < rule.company_threshold
    {
        return None;
    }
    if rule.exact {
        return (a.name == b.name).then_some(MatchReason::SimilarName { similarity: 1.0 });
    }
    let similarity = symmetric_jaro_winkler(&a.name, &b.name);
    (similarity >= rule.name_threshold).then_some(MatchReason::SimilarName { similarity })
}

/// Jaro–Winkler computed with the arguments in a canonical order, so that floating-point
/// rounding can never make the measure depend on argument order.
fn symmetric_jaro_winkler(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    if a.is_ascii() && b.is_ascii() && a.len() <= 64 && b.len() <= 64 {
        ascii_jaro_winkler(a.as_bytes(), b.as_bytes())
    } else {
        strsim::jaro_winkler(a, b)
    }
}

/// Jaro–Winkler over ASCII strings of at most 64 bytes, without allocating: the same
/// algorithm and the same floating-point steps as `strsim::jaro_winkler` (a test checks
/// they agree), with the match flags in two 64-bit masks. Normalised names are almost
/// always this short and ASCII, and this is the inner loop of duplicate detection.
fn ascii_jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    }
    if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    let (mut a_flags, mut b_flags) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &ac) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b_len.min(i + range + 1);
        for (j, &bc) in b.iter().enumerate().take(hi).skip(lo) {
            if b_flags & (1 << j) == 0 && bc == ac {
                a_flags |= 1 << i;
                b_flags |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &ac) in a.iter().enumerate() {
        if a_flags & (1 << i) != 0 {
            while b_flags & (1 << j) == 0 {
                j += 1;
            }
            if b[j] != ac {
                transpositions += 1;
            }
            j += 1;
        }
    }
    transpositions /= 2;
    let m = matches as f64;
    let jaro =
        ((m / a_len as f64) + (m / b_len as f64) + ((matches - transpositions) as f64 / m)) / 3.0;
    if jaro > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

/// Two records judged duplicates: indexes into the input, `first < second`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DuplicatePair {
    /// The earlier record (the one to keep, by default).
    pub first: usize,
    /// The later record.
    pub second: usize,
    /// Why.
    pub reason: MatchReason,
}

/// No record: the end of a block chain.
const NONE: u32 = u32::MAX;

/// The key maps of an index. Blocks are chains through `prev`: `heads` holds the newest
/// member of each block, `prev[p][k]` the member before record `p` in its block for key
/// `k` — so adding a record allocates nothing but its slot.
#[derive(Debug, Default)]
struct Keys {
    by_email: HashedMap<u32>,
    by_phone: HashedMap<u32>,
    heads: HashedMap<u32>,
    prev: Vec<[u32; 3]>,
}

impl Keys {
    fn with_capacity(n: usize) -> Self {
        Keys {
            by_email: HashedMap::with_capacity_and_hasher(n, Default::default()),
            by_phone: HashedMap::with_capacity_and_hasher(n / 2, Default::default()),
            heads: HashedMap::with_capacity_and_hasher(n * 2, Default::default()),
            prev: Vec::with_capacity(n),
        }
    }

    /// Appends to `found` the earlier records (positions into `records`) that `record`
    /// duplicates, each once.
    fn candidates(
        &self,
        records: &[DedupRecord],
        record: &DedupRecord,
        blocks: &[Option<u64>; 3],
        found: &mut Vec<(usize, MatchReason)>,
    ) {
        let mut push = |i: usize, reason: MatchReason| {
            if !found.iter().any(|(j, _)| *j == i) {
                found.push((i, reason));
            }
        };
        let exact = |map: &HashedMap<u32>,
                     key: &Option<String>,
                     field: fn(&DedupRecord) -> &Option<String>| {
            let k = key.as_ref()?;
            let &i = map.get(&hash_str(k))?;
            (field(&records[i as usize]).as_ref() == Some(k)).then_some(i as usize)
        };
        if let Some(i) = exact(&self.by_email, &record.email_key, |r| &r.email_key) {
            push(i, MatchReason::SameEmail);
        }
        if let Some(i) = exact(&self.by_phone, &record.phone, |r| &r.phone) {
            push(i, MatchReason::SamePhone);
        }
        for (slot, key) in blocks.iter().enumerate() {
            if let Some(&head) = key.as_ref().and_then(|k| self.heads.get(k)) {
                self.walk(records, record, head, slot, found);
            }
        }
    }

    /// Compares `record` with up to [`MAX_BLOCK_COMPARISONS`] members of a block chain,
    /// newest first, starting at `p`.
    fn walk(
        &self,
        records: &[DedupRecord],
        record: &DedupRecord,
        mut p: u32,
        slot: usize,
        found: &mut Vec<(usize, MatchReason)>,
    ) {
        let mut compared = 0;
        while p != NONE && compared < MAX_BLOCK_COMPARISONS {
            let i = p as usize;
            if let Some(reason @ MatchReason::SimilarName { .. }) = matches(record, &records[i])
                && !found.iter().any(|(j, _)| *j == i)
            {
                found.push((i, reason));
            }
            compared += 1;
            p = self.prev[i][slot];
        }
    }

    /// Adds the record at `position` (= `records.len()`) and appends to `found` the earlier
    /// records it duplicates — one hash probe per key for both, the hot path of bulk dedup.
    fn add_and_find(
        &mut self,
        records: &[DedupRecord],
        position: u32,
        record: &DedupRecord,
        blocks: [Option<u64>; 3],
        found: &mut Vec<(usize, MatchReason)>,
    ) {
        let maps = [&mut self.by_email, &mut self.by_phone];
        for (map, (field, reason)) in maps.into_iter().zip(EXACT_KEYS) {
            let Some(k) = field(record) else { continue };
            match map.entry(hash_str(k)) {
                Entry::Occupied(o) => {
                    let i = *o.get() as usize;
                    if field(&records[i]).as_ref() == Some(k) && !found.iter().any(|(j, _)| *j == i)
                    {
                        found.push((i, reason));
                    }
                }
                Entry::Vacant(v) => {
                    v.insert(position);
                }
            }
        }
        let mut prev = [NONE; 3];
        for (slot, key) in blocks.into_iter().enumerate() {
            if let Some(key) = key {
                prev[slot] = self.heads.insert(key, position).unwrap_or(NONE);
            }
        }
        self.prev.push(prev);
        for (slot, &head) in prev.iter().enumerate() {
            self.walk(records, record, head, slot, found);
        }
    }
}

/// An incremental duplicate index: add records one by one and ask for the earlier ones each
/// duplicates. Work per record is bounded (see the module docs).
#[derive(Debug, Default)]
pub struct DedupIndex {
    records: Vec<DedupRecord>,
    keys: Keys,
}

impl DedupIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty index with room for `n` records.
    pub fn with_capacity(n: usize) -> Self {
        DedupIndex {
            records: Vec::with_capacity(n),
            keys: Keys::with_capacity(n),
        }
    }

    /// The records added so far, by position.
    pub fn records(&self) -> &[DedupRecord] {
        &self.records
    }

    /// The earlier records `record` duplicates (positions, each once, with the first reason
    /// found: same e-mail, then same phone, then similar name), without adding it.
    pub fn candidates(&self, record: &DedupRecord) -> Vec<(usize, MatchReason)> {
        let mut found = Vec::new();
        self.keys
            .candidates(&self.records, record, &record.block_hashes(), &mut found);
        found
    }

    /// Adds `record` and returns the earlier records it duplicates (see
    /// [`DedupIndex::candidates`]).
    ///
    /// # Panics
    /// Never in practice: an index holds at most `u32::MAX - 1` records.
    pub fn add(&mut self, record: DedupRecord) -> Vec<(usize, MatchReason)> {
        let blocks = record.block_hashes();
        let mut found = Vec::new();
        let at = position(self.records.len());
        self.keys
            .add_and_find(&self.records, at, &record, blocks, &mut found);
        self.records.push(record);
        found
    }
}

/// Finds the duplicate pairs among `records` in one pass (see the module docs for what is
/// compared).
///
/// # Examples
/// ```
/// use crm_core::lead::dedup::{find_duplicates, DedupRecord, MatchReason};
/// use crm_core::{Email, id::{RecordRef, LeadId}};
/// let rec = |n: u64, first: &str, last: &str, email: &str| DedupRecord::new(
///     RecordRef::Lead(LeadId::new(n).unwrap()), Some(first), Some(last), Some("Acme Inc"),
///     Some(&email.parse::<Email>().unwrap()), None);
/// let pairs = find_duplicates(&[
///     rec(1, "Ada", "Lovelace", "ada@acme.com"),
///     rec(2, "Charles", "Babbage", "cb@acme.com"),
///     rec(3, "Ada", "Lovelase", "ada.l@acme.com"),
///     rec(4, "A.", "Other", "ADA+crm@acme.com"),
/// ]);
/// assert_eq!(pairs.len(), 2);
/// assert_eq!((pairs[0].first, pairs[0].second), (0, 2));
/// assert!(matches!(pairs[0].reason, MatchReason::SimilarName { .. }));
/// assert_eq!((pairs[1].first, pairs[1].second, pairs[1].reason), (0, 3, MatchReason::SameEmail));
/// ```
///
/// The batch path sorts `(key, position)` pairs instead of probing hash maps record by
/// record, so memory is read in sequence; it finds exactly the pairs that adding the
/// records one by one to a [`DedupIndex`] finds (a test checks it), ordered by `second`,
/// then `first`.
pub fn find_duplicates(records: &[DedupRecord]) -> Vec<DuplicatePair> {
    // (priority, second, first, reason): priority orders reasons as the index does.
    let mut found: Vec<(u8, usize, usize, MatchReason)> = Vec::new();
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(records.len());

    // Exact keys: each member of a cluster links to the cluster's first member.
    for (priority, (field, reason)) in EXACT_KEYS.into_iter().enumerate() {
        keyed.clear();
        keyed.extend(
            records
                .iter()
                .enumerate()
                .filter_map(|(i, r)| field(r).as_ref().map(|k| (hash_str(k), position(i)))),
        );
        keyed.sort_unstable();
        for group in keyed.chunk_by(|a, b| a.0 == b.0) {
            // Equal hashes of different strings (a collision) form sub-clusters by value.
            let mut firsts: Vec<usize> = Vec::new();
            for &(_, p) in group {
                let p = p as usize;
                let value = field(&records[p]);
                match firsts.iter().find(|&&f| field(&records[f]) == value) {
                    Some(&first) => found.push((priority as u8, p, first, reason)),
                    None => firsts.push(p),
                }
            }
        }
    }

    // Blocks: each member is compared with up to MAX_BLOCK_COMPARISONS earlier members.
    let block_keys: Vec<[Option<u64>; 3]> = records.iter().map(DedupRecord::block_hashes).collect();
    for slot in 0..3 {
        keyed.clear();
        keyed.extend(
            block_keys
                .iter()
                .enumerate()
                .filter_map(|(i, keys)| keys[slot].map(|k| (k, position(i)))),
        );
        keyed.sort_unstable();
        for group in keyed.chunk_by(|a, b| a.0 == b.0) {
            for (k, &(_, second)) in group.iter().enumerate().skip(1) {
                let second = second as usize;
                let earlier = &group[k.saturating_sub(MAX_BLOCK_COMPARISONS)..k];
                for &(_, first) in earlier.iter().rev() {
                    let first = first as usize;
                    if let Some(reason @ MatchReason::SimilarName { .. }) =
                        matches(&records[second], &records[first])
                    {
                        found.push((2, second, first, reason));
                    }
                }
            }
        }
    }

    found.sort_unstable_by_key(|a| (a.1, a.2, a.0));
    found.dedup_by_key(|f| (f.1, f.2));
    found
        .into_iter()
        .map(|(_, second, first, reason)| DuplicatePair {
            first,
            second,
            reason,
        })
        .collect()
}

/// A record's position as stored in the index.
///
/// # Panics
/// Beyond `u32::MAX - 1` records.
fn position(i: usize) -> u32 {
    u32::try_from(i)
        .ok()
        .filter(|p| *p != NONE)
        .expect("fewer than 2^32 - 1 records")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::LeadId;
    use proptest::prelude::*;

    fn rec(n: u64, first: &str, last: &str, company: &str, email: Option<&str>) -> DedupRecord {
        let email = email.map(|e| e.parse::<Email>().unwrap());
        DedupRecord::new(
            RecordRef::Lead(LeadId::new(n).unwrap()),
            Some(first),
            Some(last),
            Some(company),
            email.as_ref(),
            None,
        )
    }

    #[test]
    fn different_companies_keep_namesakes_apart() {
        let a = rec(1, "John", "Smith", "Acme", None);
        let b = rec(2, "John", "Smith", "Globex", None);
        assert_eq!(matches(&a, &b), None);
        let c = rec(3, "John", "Smith", "ACME Inc.", None);
        assert!(matches!(
            matches(&a, &c),
            Some(MatchReason::SimilarName { .. })
        ));
    }

    #[test]
    fn exact_clusters_link_to_their_first_member() {
        let records: Vec<_> = (1..=50)
            .map(|n| {
                rec(
                    n,
                    &format!("P{n}"),
                    &format!("Q{n}"),
                    "",
                    Some("same@x.com"),
                )
            })
            .collect();
        let pairs = find_duplicates(&records);
        assert_eq!(pairs.len(), 49);
        assert!(pairs.iter().all(|p| p.first == 0));
    }

    const FIRST: [&str; 8] = [
        "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
    ];
    const LAST: [&str; 8] = [
        "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
    ];
    const COMPANY: [&str; 4] = [
        "Analytical Engines",
        "Navy Labs",
        "Bletchley",
        "Mathematisch Centrum",
    ];

    fn typo(s: &str, at: usize) -> String {
        let mut chars: Vec<char> = s.chars().collect();
        let i = at % chars.len();
        chars[i] = if chars[i] == 'x' { 'y' } else { 'x' };
        chars.into_iter().collect()
    }

    proptest! {
        #[test]
        fn ascii_jaro_winkler_agrees_with_strsim(a in "[a-e ]{0,20}", b in "[a-e ]{0,20}") {
            prop_assert_eq!(ascii_jaro_winkler(a.as_bytes(), b.as_bytes()), strsim::jaro_winkler(&a, &b));
        }

        #[test]
        fn batch_and_incremental_find_the_same_pairs(picks in proptest::collection::vec((0usize..8, 0usize..8, 0usize..4, 0usize..12, 0usize..4), 0..120)) {
            let records: Vec<DedupRecord> = picks.iter().enumerate().map(|(n, &(f, l, c, t, e))| {
                let email = format!("p{}@x{}.com", e, c);
                let mut r = rec(n as u64 + 1, FIRST[f], &typo(LAST[l], t), COMPANY[c], (t % 3 == 0).then_some(email.as_str()));
                if t % 5 == 0 { r.phone = Some(format!("+1415555{:04}", e)); }
                r
            }).collect();
            let mut index = DedupIndex::new();
            let mut incremental = Vec::new();
            for (second, r) in records.iter().enumerate() {
                for (first, reason) in index.add(r.clone()) {
                    incremental.push(DuplicatePair { first, second, reason });
                }
            }
            incremental.sort_by_key(|p| (p.second, p.first));
            prop_assert_eq!(find_duplicates(&records), incremental);
        }

        #[test]
        fn matching_is_symmetric(f1 in 0usize..8, l1 in 0usize..8, c1 in 0usize..4, f2 in 0usize..8, l2 in 0usize..8, c2 in 0usize..4, t in 0usize..10) {
            let a = rec(1, FIRST[f1], LAST[l1], COMPANY[c1], None);
            let b = rec(2, FIRST[f2], &typo(LAST[l2], t), COMPANY[c2], None);
            prop_assert_eq!(matches(&a, &b), matches(&b, &a));
        }

        #[test]
        fn planted_duplicates_are_found(f in 0usize..8, l in 0usize..8, c in 0usize..4, t in 0usize..20, field in 0usize..3, noise in 0usize..200) {
            // Noise records with unique names, then an original and a copy with one typo.
            let mut records: Vec<DedupRecord> = (0..noise)
                .map(|i| rec(i as u64 + 1, &format!("Noise{i}"), &format!("Person{i}zz"), &format!("Company{i}"), None))
                .collect();
            let original = rec(10_000, FIRST[f], LAST[l], COMPANY[c], None);
            let (first, last, company) = match field {
                0 => (typo(FIRST[f], t), LAST[l].to_string(), COMPANY[c].to_string()),
                1 => (FIRST[f].to_string(), typo(LAST[l], t), COMPANY[c].to_string()),
                _ => (FIRST[f].to_string(), LAST[l].to_string(), typo(COMPANY[c], t)),
            };
            let copy = rec(10_001, &first, &last, &company, None);
            let expected_match = matches(&original, &copy).is_some();
            records.push(original);
            records.push(copy);
            let pairs = find_duplicates(&records);
            let found = pairs.iter().any(|p| p.first == noise && p.second == noise + 1);
            // Blocking never hides a pair that the similarity rule accepts.
            prop_assert_eq!(found, expected_match);
        }
    }
}

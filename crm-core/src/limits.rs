//! The limits every stored text keeps, checked on every write of every record kind
//! ([`crate::store::WriteExt::update`]), whatever use case or binding the text came from:
//!
//! | text | at most | may contain |
//! |---|---|---|
//! | a line (names, titles, codes, e-mails, custom field values and their keys…) | [`LINE_MAX`] characters | no control character (no NUL, tab or newline) |
//! | a long text: a field named `body`, `description`, `notes`, `note`, `text`, `template`, `reason`, `message`, `summary`, `comment`, `answer` or `resolution` | [`TEXT_MAX`] characters | tabs and line breaks, no other control character |
//!
//! Free JSON a record carries (under a key `payload`, `snapshot` or `document`: ERP payloads,
//! event snapshots) is the host's own data and is not checked. A refusal is an
//! [`Error::Validation`] naming every field that breaks a limit by its path in the record
//! (`data.last_name`, `comments[2].body`); nothing is written.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, FieldProblem, Result};

/// The most characters a line of text may have.
pub const LINE_MAX: usize = 2_000;

/// The most characters a long text may have.
pub const TEXT_MAX: usize = 200_000;

/// Fields whose text may span lines, up to [`TEXT_MAX`].
pub const LONG_TEXT_FIELDS: &[&str] = &[
    "body",
    "description",
    "notes",
    "note",
    "text",
    "template",
    "reason",
    "message",
    "summary",
    "comment",
    "answer",
    "resolution",
];

/// Fields holding the host's own JSON, left unchecked.
const FREE_JSON_FIELDS: &[&str] = &["payload", "snapshot", "document"];

/// Checks every text of a record's JSON document against the limits.
///
/// # Errors
/// [`Error::Validation`] with one problem per text that breaks a limit.
pub fn check_document(json: &str) -> Result<()> {
    let problems = RefCell::new(Vec::new());
    let path = RefCell::new(Vec::new());
    let walker = Walk {
        key: None,
        problems: &problems,
        path: &path,
    };
    let mut de = serde_json::Deserializer::from_str(json);
    walker
        .deserialize(&mut de)
        .map_err(|e| Error::storage(format!("a record's JSON could not be read back: {e}")))?;
    let problems = problems.into_inner();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation { problems })
    }
}

/// Why `text` breaks the limit of a field named `key`, if it does.
pub fn text_problem(key: Option<&str>, text: &str) -> Option<String> {
    let long = key.is_some_and(|k| LONG_TEXT_FIELDS.contains(&k));
    let max = if long { TEXT_MAX } else { LINE_MAX };
    // bytes bound characters from above: most texts are decided without counting
    if text.len() > max && text.chars().count() > max {
        return Some(format!("longer than {max} characters"));
    }
    let refused = |c: char| c.is_control() && !(long && matches!(c, '\n' | '\r' | '\t'));
    text.chars().find(|&c| refused(c)).map(|c| {
        if long {
            format!("contains the control character U+{:04X}", c as u32)
        } else {
            format!(
                "contains the control character U+{:04X} (a line of text has none; only long texts such as a description may have line breaks)",
                c as u32
            )
        }
    })
}

/// A walk over one value of the document: `key` is the field it is the value of.
#[derive(Clone, Copy)]
struct Walk<'a> {
    key: Option<&'a str>,
    problems: &'a RefCell<Vec<FieldProblem>>,
    path: &'a RefCell<Vec<String>>,
}

impl Walk<'_> {
    fn check(&self, text: &str) {
        if let Some(reason) = text_problem(self.key, text) {
            self.problems
                .borrow_mut()
                .push(FieldProblem::new(self.path.borrow().concat(), reason));
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        if self.key.is_some_and(|k| FREE_JSON_FIELDS.contains(&k)) {
            return d.deserialize_ignored_any(de::IgnoredAny).map(|_| ());
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON document")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<(), E> {
        self.check(v);
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.path.borrow_mut().push(format!("[{i}]"));
            let more = seq.next_element_seed(self)?;
            self.path.borrow_mut().pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            // a key of the user's own map is a line of text too
            let at_key = Walk { key: None, ..self };
            let segment = if self.path.borrow().is_empty() {
                key.to_string()
            } else {
                format!(".{key}")
            };
            self.path.borrow_mut().push(segment);
            at_key.check(&key);
            map.next_value_seed(Walk {
                key: Some(&key),
                ..self
            })?;
            self.path.borrow_mut().pop();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(json: &str) -> Vec<(String, String)> {
        match check_document(json) {
            Ok(()) => Vec::new(),
            Err(Error::Validation { problems }) => {
                problems.into_iter().map(|p| (p.field, p.reason)).collect()
            }
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn lines_and_long_texts_keep_their_limits_and_every_problem_is_named() {
        assert!(
            problems(r#"{"data":{"last_name":"Lovelace","description":"a\nb\tc"}}"#).is_empty()
        );
        let long_name = "x".repeat(LINE_MAX + 1);
        let found = problems(&format!(
            r#"{{"data":{{"last_name":"{long_name}","first_name":"A\u0000da"}},"comments":[{{"body":"ok"}},{{"body":"bad\u0007"}}],"custom":{{"k\ny":"v"}}}}"#
        ));
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "data.last_name",
                "data.first_name",
                "comments[1].body",
                "custom.k\ny"
            ],
            "{found:?}"
        );
        assert!(found[0].1.contains("longer than 2000"), "{found:?}");
        assert!(found[1].1.contains("U+0000"), "{found:?}");
        // a long text may be long, up to its own limit; characters, not bytes, count
        assert!(problems(&format!(r#"{{"description":"{}"}}"#, "ö".repeat(TEXT_MAX))).is_empty());
        assert_eq!(
            problems(&format!(r#"{{"name":"{}"}}"#, "ö".repeat(LINE_MAX))).len(),
            0
        );
        assert_eq!(
            problems(&format!(
                r#"{{"description":"{}"}}"#,
                "x".repeat(TEXT_MAX + 1)
            ))
            .len(),
            1
        );
        // the host's own JSON is its business
        assert!(problems(r#"{"payload":{"note":"\u0000"},"snapshot":"\u0001"}"#).is_empty());
    }
}

//! How instants cross serde: RFC 3339 in UTC (`2026-11-23T09:00:00Z`, fractional seconds
//! only when present), the same text chrono writes, read back through chrono's RFC 3339
//! fast path — chrono's own `Deserialize` goes through its general format parser, several
//! times slower, and every stored record carries a few instants.
//!
//! Use as `#[serde(with = "crate::time::rfc3339")]` (or `rfc3339_opt` for `Option`).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserializer, Serializer};

fn parse<E: serde::de::Error>(text: &str) -> Result<DateTime<Utc>, E> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| E::custom(format!("invalid RFC 3339 instant {text:?}: {e}")))
}

/// Reads the text without copying it when the deserializer can lend it.
struct InstantVisitor;

impl serde::de::Visitor<'_> for InstantVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an RFC 3339 instant")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        parse(text)
    }
}

/// Like [`InstantVisitor`], for an optional instant.
struct OptionalInstantVisitor;

impl<'de> serde::de::Visitor<'de> for OptionalInstantVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an RFC 3339 instant or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(InstantVisitor).map(Some)
    }
}

/// `at` as RFC 3339 UTC text, as every serialised instant is written.
pub fn format_rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Parses an instant written as RFC 3339 / ISO-8601 text with an offset (`Z` or `+02:00`),
/// as the bindings receive them.
///
/// # Errors
/// [`crate::Error::InvalidValue`] naming the text when it is not such an instant.
pub fn parse_instant(text: &str) -> crate::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            crate::Error::invalid(
                "instant",
                text,
                format!("{e} (expected ISO-8601 with an offset, like 2026-03-02T09:30:00Z)"),
            )
        })
}

/// An instant as RFC 3339 text.
pub mod rfc3339 {
    use super::*;

    /// Writes `at` as RFC 3339 UTC.
    ///
    /// # Errors
    /// Whatever the serializer reports.
    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_rfc3339(*at))
    }

    /// Reads an RFC 3339 instant (any offset), as UTC.
    ///
    /// # Errors
    /// When the text is not RFC 3339.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        d.deserialize_str(InstantVisitor)
    }
}

/// An optional instant as RFC 3339 text or null.
pub mod rfc3339_opt {
    use super::*;

    /// Writes `at` as RFC 3339 UTC, or null.
    ///
    /// # Errors
    /// Whatever the serializer reports.
    pub fn serialize<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            None => s.serialize_none(),
        }
    }

    /// Reads an RFC 3339 instant or null.
    ///
    /// # Errors
    /// When the text is not RFC 3339.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        d.deserialize_option(OptionalInstantVisitor)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "rfc3339")]
        at: DateTime<Utc>,
        #[serde(with = "rfc3339_opt", default)]
        maybe: Option<DateTime<Utc>>,
    }

    #[test]
    fn same_text_as_chrono_and_offsets_are_read() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let ours = serde_json::to_string(&T { at, maybe: None }).unwrap();
        assert_eq!(
            ours,
            format!(
                r#"{{"at":{},"maybe":null}}"#,
                serde_json::to_string(&at).unwrap()
            )
        );
        let t: T = serde_json::from_str(r#"{"at":"2026-11-23T10:00:00+01:00"}"#).unwrap();
        assert_eq!((t.at, t.maybe), (at, None));
        assert!(serde_json::from_str::<T>(r#"{"at":"yesterday"}"#).is_err());
    }

    proptest! {
        #[test]
        fn instants_round_trip(secs in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000) {
            let at = Utc.timestamp_opt(secs, nanos).unwrap();
            let t = T { at, maybe: Some(at) };
            let back: T = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
            prop_assert_eq!(back, t);
        }
    }
}

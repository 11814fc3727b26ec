//! Reading only the members of a stored document that the access rules look at (the
//! owner, the account, the fields sharing rules filter on), skipping the rest without
//! building it: judging a record costs a fraction of reading it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

/// Dotted paths into a document, as a tree.
#[derive(Debug, Default, Clone)]
pub struct Paths {
    children: BTreeMap<String, Paths>,
    /// The whole value here is wanted.
    whole: bool,
}

impl Paths {
    /// Adds `path` (`data.address.country`).
    pub fn add(&mut self, path: &str) {
        let mut node = self;
        for part in path.split('.') {
            node = node.children.entry(part.to_string()).or_default();
        }
        node.whole = true;
    }

    /// The document `data` with only the members on these paths, the same shape as the
    /// whole document for them (`None`: `data` is not the object these paths expect).
    pub fn pluck(&self, data: &str) -> Option<Value> {
        let mut de = serde_json::Deserializer::from_str(data);
        let value = Seed(self).deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(value)
    }
}

struct Seed<'a>(&'a Paths);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.0.whole {
            Value::deserialize(d)
        } else {
            d.deserialize_map(self)
        }
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            match self.0.children.get(key.as_ref()) {
                Some(child) => {
                    let value = map.next_value_seed(Seed(child))?;
                    out.insert(key.into_owned(), value);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// A member's name, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_wanted_members_are_read() {
        let mut paths = Paths::default();
        paths.add("data.owner");
        paths.add("data.address.country");
        paths.add("account");
        let doc = r#"{"id":1,"data":{"owner":"rep1","email":"a@b.c","address":{"city":"X","country":"DE"},"tags":[1,{"a":2}]},"account":7,"note":"caf\u00e9"}"#;
        assert_eq!(
            paths.pluck(doc),
            Some(serde_json::json!({
                "data": {"owner": "rep1", "address": {"country": "DE"}},
                "account": 7
            }))
        );
        // escaped member names are matched by their text
        assert_eq!(
            paths.pluck(r#"{"acc\u006funt":3}"#),
            Some(serde_json::json!({"account": 3}))
        );
        // a path through something that is not an object: no partial answer
        assert_eq!(paths.pluck(r#"{"data":[1,2]}"#), None);
        assert_eq!(paths.pluck(r#"{"data":{}} trailing"#), None);
    }
}

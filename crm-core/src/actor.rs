//! Who makes a change: a user of the host app or a named system process. Every event in
//! the log carries its actor; a [`crate::Crm`] handle acts as one ([`crate::Crm::as_actor`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The actor of a change, written `user:<id>` (a person, by the host's user id) or
/// `system:<name>` (a process: `system:import`, `system:automation`). A handle that was
/// never told acts as `system:host`, the host app itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Actor(String);

impl Actor {
    /// The host app itself: the actor of a handle that was not given one.
    pub fn host() -> Self {
        Actor("system:host".into())
    }

    /// A user of the host app, by the host's id for them.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an empty id or one with control characters.
    pub fn user(id: &str) -> Result<Self> {
        format!("user:{id}").parse()
    }

    /// A named system process (`import`, `automation`).
    ///
    /// # Errors
    /// As [`Actor::user`].
    pub fn system(name: &str) -> Result<Self> {
        format!("system:{name}").parse()
    }

    /// The user's id when the actor is a user.
    pub fn user_id(&self) -> Option<&str> {
        self.0.strip_prefix("user:")
    }

    /// Its written form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Actor {
    fn default() -> Self {
        Actor::host()
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Actor {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = |why: &str| Error::invalid("actor", s, why);
        let (kind, name) = s
            .split_once(':')
            .ok_or_else(|| bad("write an actor as user:<id> or system:<name>"))?;
        if kind != "user" && kind != "system" {
            return Err(bad("an actor is a user:<id> or a system:<name>"));
        }
        if name.trim().is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
            return Err(bad(
                "needs a name of 1 to 200 characters without control characters",
            ));
        }
        Ok(Actor(s.to_string()))
    }
}

impl Serialize for Actor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Actor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_are_users_or_processes() {
        assert_eq!(Actor::user("42").unwrap().to_string(), "user:42");
        assert_eq!(Actor::user("42").unwrap().user_id(), Some("42"));
        assert_eq!(Actor::system("import").unwrap().user_id(), None);
        assert_eq!(Actor::default().as_str(), "system:host");
        for bad in ["42", "admin:1", "user:", "user: ", "user:a\u{0}b"] {
            assert!(bad.parse::<Actor>().is_err(), "{bad:?}");
        }
    }
}

//! Consent and subscriptions: whether a person (a lead or a contact) may be contacted, by
//! which channel and for which purpose, with the proof of each grant and withdrawal;
//! do-not-contact; and unsubscribe tokens a host puts in links.
//!
//! The rule [`Crm::may_contact`] applies, and automation's e-mails follow:
//! 1. a person marked do-not-contact is never contacted;
//! 2. a consent withdrawn for the channel and purpose forbids it;
//! 3. marketing and newsletters need a consent granted for the channel;
//! 4. service messages (about a case, a quote) need none.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{ConsentId, DoNotContactId, RecordRef, UnsubscribeTokenId};
use crate::store::{EntityKind, ReadExt, ReadTx, Store, WriteExt, WriteTx};

/// How a person is reached.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail.
    Email,
    /// Text messages.
    Sms,
    /// Phone calls.
    Phone,
    /// Letters.
    Post,
}

/// What a person is contacted for.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Offers and campaigns.
    Marketing,
    /// Newsletters.
    Newsletter,
    /// Service: about their cases, orders, quotes.
    Service,
}

/// How a consent was given: what a regulator asks to see.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentProof {
    /// The form or page it was given on (`newsletter-footer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub form: Option<String>,
    /// The address it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ip: Option<String>,
    /// When the person confirmed it (double opt-in), if they did.
    #[serde(
        default,
        with = "crate::time::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The wording the person agreed to, or a reference to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub text: Option<String>,
}

/// A consent a person gives.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    /// The lead or contact.
    pub subject: RecordRef,
    /// The channel.
    pub channel: Channel,
    /// The purpose.
    pub purpose: Purpose,
    /// Where it was given (`web form`, `trade fair`, `phone call`).
    pub source: String,
    /// The proof.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub proof: ConsentProof,
}

/// A person's consent for one channel and purpose, granted or withdrawn.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Id, assigned by the store.
    pub id: ConsentId,
    /// Version.
    pub version: crate::id::Version,
    /// The lead or contact.
    pub subject: RecordRef,
    /// The channel.
    pub channel: Channel,
    /// The purpose.
    pub purpose: Purpose,
    /// Whether it stands.
    pub granted: bool,
    /// Where it was last granted or withdrawn.
    pub source: String,
    /// The proof of the grant.
    pub proof: ConsentProof,
    /// When it was granted.
    #[serde(
        default,
        with = "crate::time::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub granted_at: Option<DateTime<Utc>>,
    /// When it was withdrawn.
    #[serde(
        default,
        with = "crate::time::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl Consent {
    /// Slot of the subject (`lead:3`).
    pub const BY_SUBJECT: usize = 0;
}

crate::store::impl_entity!(Consent, ConsentId, EntityKind::Consent, |c| [
    Some(c.subject.key()),
    None,
    None,
    None,
    None,
    None
]);

/// A person who must not be contacted at all.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoNotContact {
    /// Id, assigned by the store.
    pub id: DoNotContactId,
    /// Version.
    pub version: crate::id::Version,
    /// The lead or contact.
    pub subject: RecordRef,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Since when.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub since: DateTime<Utc>,
}

crate::store::impl_entity!(
    DoNotContact,
    DoNotContactId,
    EntityKind::DoNotContact,
    |d| [Some(d.subject.key()), None, None, None, None, None]
);

/// A token a host puts in an unsubscribe link for one person and campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeToken {
    /// Id, assigned by the store.
    pub id: UnsubscribeTokenId,
    /// Version.
    pub version: crate::id::Version,
    /// The person.
    pub subject: RecordRef,
    /// The campaign (its code).
    pub campaign: String,
    /// The token: 128 random bits, hex.
    pub token: String,
}

impl UnsubscribeToken {
    const BY_TOKEN: usize = 1;
    const BY_SUBJECT_CAMPAIGN: usize = 2;
}

crate::store::impl_entity!(
    UnsubscribeToken,
    UnsubscribeTokenId,
    EntityKind::UnsubscribeToken,
    |t| [
        Some(t.subject.key()),
        Some(t.token.clone()),
        Some(format!("{}|{}", t.subject.key(), t.campaign)),
        None,
        None,
        None
    ]
);

/// Whether a person may be contacted, and why.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDecision {
    /// Whether they may.
    pub allowed: bool,
    /// Why (`consent granted on 2026-11-02 (web form)`, `do not contact`, `no consent`).
    pub reason: String,
}

fn subject_exists(tx: &dyn ReadTx, subject: RecordRef) -> Result<()> {
    let key = crate::id::RecordKey::from(subject);
    match subject {
        RecordRef::Lead(_) | RecordRef::Contact(_) => {}
        other => {
            return Err(Error::invalid(
                "subject",
                other.key(),
                "consent is a person's: a lead or a contact",
            ));
        }
    }
    if tx.get_raw(key.kind(), key.id())?.is_none() {
        return Err(Error::not_found(key.kind().as_str(), key.id()));
    }
    Ok(())
}

fn consents(tx: &dyn ReadTx, subject: RecordRef) -> Result<Vec<Consent>> {
    tx.find(Consent::BY_SUBJECT, &subject.key())
}

/// Whether `subject` may be contacted by `channel` for `purpose`, read in `tx`.
///
/// # Errors
/// [`Error::Storage`].
pub fn decide(
    tx: &dyn ReadTx,
    subject: RecordRef,
    channel: Channel,
    purpose: Purpose,
) -> Result<ContactDecision> {
    let no = |reason: String| ContactDecision {
        allowed: false,
        reason,
    };
    let blocks: Vec<DoNotContact> = tx.find(0, &subject.key())?;
    if let Some(b) = blocks.first() {
        return Ok(no(match &b.reason {
            Some(r) => format!("do not contact ({r})"),
            None => "do not contact".into(),
        }));
    }
    let found = consents(tx, subject)?
        .into_iter()
        .find(|c| c.channel == channel && c.purpose == purpose);
    Ok(match found {
        Some(c) if c.granted => ContactDecision {
            allowed: true,
            reason: format!(
                "consent granted{} ({})",
                c.granted_at
                    .map(|t| format!(" on {}", t.date_naive()))
                    .unwrap_or_default(),
                c.source
            ),
        },
        Some(c) => no(format!(
            "consent withdrawn{} ({})",
            c.withdrawn_at
                .map(|t| format!(" on {}", t.date_naive()))
                .unwrap_or_default(),
            c.source
        )),
        None if purpose == Purpose::Service => ContactDecision {
            allowed: true,
            reason: "service messages need no consent".into(),
        },
        None => no("no consent".into()),
    })
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn set(
    tx: &mut dyn WriteTx,
    subject: RecordRef,
    channel: Channel,
    purpose: Purpose,
    granted: bool,
    source: &str,
    proof: Option<ConsentProof>,
    now: DateTime<Utc>,
) -> Result<Consent> {
    subject_exists(tx, subject)?;
    let source = source.trim();
    if source.is_empty() {
        return Err(Error::invalid(
            "source",
            source,
            "say where the consent was given or withdrawn",
        ));
    }
    let existing = consents(tx, subject)?
        .into_iter()
        .find(|c| c.channel == channel && c.purpose == purpose);
    let consent = match existing {
        Some(mut c) => {
            c.granted = granted;
            c.source = source.to_string();
            if granted {
                c.granted_at = Some(now);
                c.withdrawn_at = None;
                c.proof = proof.unwrap_or_default();
            } else {
                c.withdrawn_at = Some(now);
            }
            tx.update(&mut c)?;
            c
        }
        None => tx.insert(|id| Consent {
            id,
            version: crate::id::Version::NEW,
            subject,
            channel,
            purpose,
            granted,
            source: source.to_string(),
            proof: proof.unwrap_or_default(),
            granted_at: granted.then_some(now),
            withdrawn_at: (!granted).then_some(now),
        })?,
    };
    tx.emit(&decided(subject, channel, purpose, granted), now)?;
    Ok(consent)
}

/// The event of a consent granted or withdrawn.
fn decided(subject: RecordRef, channel: Channel, purpose: Purpose, granted: bool) -> DomainEvent {
    let record = crate::id::RecordKey::from(subject);
    if granted {
        DomainEvent::ConsentGranted {
            record,
            channel,
            purpose,
        }
    } else {
        DomainEvent::ConsentWithdrawn {
            record,
            channel,
            purpose,
        }
    }
}

/// Gives `to` the consents and do-not-contact mark of `from`: a lead's when it is converted
/// (`moving` false: the lead keeps its own) or a duplicate's when it is merged (`moving`:
/// they leave it). Where both have a decision for a channel and purpose, the later one
/// stands; a do-not-contact mark on either stays.
///
/// # Errors
/// [`Error::Storage`].
pub(crate) fn carry(
    tx: &mut dyn WriteTx,
    from: RecordRef,
    to: RecordRef,
    moving: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let when = |c: &Consent| c.granted_at.max(c.withdrawn_at);
    let theirs = consents(tx, to)?;
    for mine in consents(tx, from)? {
        let newer = theirs
            .iter()
            .find(|t| t.channel == mine.channel && t.purpose == mine.purpose)
            .is_none_or(|t| when(&mine) > when(t));
        if newer {
            match theirs
                .iter()
                .find(|t| t.channel == mine.channel && t.purpose == mine.purpose)
            {
                Some(t) => {
                    let mut t = t.clone();
                    t.granted = mine.granted;
                    t.source = mine.source.clone();
                    t.proof = mine.proof.clone();
                    t.granted_at = mine.granted_at;
                    t.withdrawn_at = mine.withdrawn_at;
                    tx.update(&mut t)?;
                }
                None => {
                    tx.insert(|id| Consent {
                        id,
                        subject: to,
                        version: crate::id::Version::NEW,
                        ..mine.clone()
                    })?;
                }
            }
            tx.emit(&decided(to, mine.channel, mine.purpose, mine.granted), now)?;
        }
        if moving {
            tx.remove(&mine)?;
        }
    }
    let blocks: Vec<DoNotContact> = tx.find(0, &from.key())?;
    let theirs: Vec<DoNotContact> = tx.find(0, &to.key())?;
    for block in blocks {
        if theirs.is_empty() {
            tx.insert(|id| DoNotContact {
                id,
                version: crate::id::Version::NEW,
                subject: to,
                ..block.clone()
            })?;
            tx.emit(
                &DomainEvent::DoNotContactSet {
                    record: crate::id::RecordKey::from(to),
                    on: true,
                },
                now,
            )?;
        }
        if moving {
            tx.remove(&block)?;
        }
    }
    Ok(())
}

/// A token for a link: 128 random bits, hex.
pub(crate) fn random_token() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::storage(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl<S: Store> Crm<S> {
    /// Records a consent (granting it again renews it, with the new proof).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a subject that is not a lead or contact, or an empty
    /// source; [`Error::NotFound`]; [`Error::Storage`].
    pub fn grant_consent(&self, consent: NewConsent, now: DateTime<Utc>) -> Result<Consent> {
        self.write(|tx| {
            set(
                tx,
                consent.subject,
                consent.channel,
                consent.purpose,
                true,
                &consent.source,
                Some(consent.proof),
                now,
            )
        })
    }

    /// Records a withdrawal (kept with the grant's proof, as the history of both).
    ///
    /// # Errors
    /// As [`Crm::grant_consent`].
    pub fn withdraw_consent(
        &self,
        subject: RecordRef,
        channel: Channel,
        purpose: Purpose,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<Consent> {
        self.write(|tx| set(tx, subject, channel, purpose, false, source, None, now))
    }

    /// A person's consents.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn consents_of(&self, subject: RecordRef) -> Result<Vec<Consent>> {
        self.read(|tx| consents(tx, subject))
    }

    /// Whether a person may be contacted by `channel` for `purpose`, and why (see the
    /// [module docs](self)).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] / [`Error::NotFound`] for a subject that is not a stored lead
    /// or contact; [`Error::Storage`].
    pub fn may_contact(
        &self,
        subject: RecordRef,
        channel: Channel,
        purpose: Purpose,
    ) -> Result<ContactDecision> {
        self.read(|tx| {
            subject_exists(tx, subject)?;
            decide(tx, subject, channel, purpose)
        })
    }

    /// Marks a person do-not-contact (`on`) or lifts it; whether anything changed.
    ///
    /// # Errors
    /// As [`Crm::may_contact`].
    pub fn set_do_not_contact(
        &self,
        subject: RecordRef,
        on: bool,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        self.write(|tx| {
            subject_exists(tx, subject)?;
            let existing: Vec<DoNotContact> = tx.find(0, &subject.key())?;
            let changed = match (on, existing.first()) {
                (true, None) => {
                    tx.insert(|id| DoNotContact {
                        id,
                        version: crate::id::Version::NEW,
                        subject,
                        reason: reason.clone(),
                        since: now,
                    })?;
                    true
                }
                (false, Some(block)) => {
                    tx.remove(block)?;
                    true
                }
                _ => false,
            };
            if changed {
                tx.emit(
                    &DomainEvent::DoNotContactSet {
                        record: crate::id::RecordKey::from(subject),
                        on,
                    },
                    now,
                )?;
            }
            Ok(changed)
        })
    }

    /// The unsubscribe token of a person for a campaign (made on first use, the same
    /// afterwards): 128 random bits a host puts in the link of each e-mail it sends.
    ///
    /// # Errors
    /// As [`Crm::may_contact`]; [`Error::InvalidValue`] for an empty campaign code.
    pub fn unsubscribe_token(
        &self,
        subject: RecordRef,
        campaign: &str,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let campaign = campaign.trim().to_string();
        if campaign.is_empty() {
            return Err(Error::invalid("campaign", "", "name the campaign"));
        }
        let _ = now;
        self.write(|tx| {
            subject_exists(tx, subject)?;
            let key = format!("{}|{campaign}", subject.key());
            let found: Vec<UnsubscribeToken> =
                tx.find(UnsubscribeToken::BY_SUBJECT_CAMPAIGN, &key)?;
            if let Some(t) = found.into_iter().next() {
                return Ok(t.token);
            }
            let token = random_token()?;
            tx.insert(|id| UnsubscribeToken {
                id,
                version: crate::id::Version::NEW,
                subject,
                campaign: campaign.clone(),
                token: token.clone(),
            })?;
            Ok(token)
        })
    }

    /// Takes an unsubscribe a person posted back: withdraws their e-mail marketing consent
    /// (source `unsubscribe link, campaign <code>`). Posting it again changes nothing more.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a token this CRM did not make; [`Error::Storage`].
    pub fn unsubscribe(&self, token: &str, now: DateTime<Utc>) -> Result<Consent> {
        self.write(|tx| {
            let found: Vec<UnsubscribeToken> = tx.find(UnsubscribeToken::BY_TOKEN, token.trim())?;
            let Some(t) = found.into_iter().next() else {
                return Err(Error::not_found("unsubscribe token", token));
            };
            let current = consents(tx, t.subject)?
                .into_iter()
                .find(|c| c.channel == Channel::Email && c.purpose == Purpose::Marketing);
            if let Some(c) = current.filter(|c| !c.granted) {
                return Ok(c);
            }
            set(
                tx,
                t.subject,
                Channel::Email,
                Purpose::Marketing,
                false,
                &format!("unsubscribe link, campaign {}", t.campaign),
                None,
                now,
            )
        })
    }
}

//! Parsed contact data: e-mail addresses, phone numbers (E.164), postal addresses,
//! and the text normalisation that duplicate detection relies on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

/// A syntactically valid e-mail address, normalised: trimmed, lower-cased, the part
/// before `@` in Unicode normal form C, the domain IDNA-normalised (UTS 46) to its Unicode
/// form, so `info@bäckerei.de` and `info@xn--bckerei-wxa.de` are one address.
///
/// The check follows the common subset of RFC 5321 that real mail systems accept, with
/// RFC 6531's UTF-8 local parts: letters (any script), digits and
/// `!#$%&'*+/=?^_`{|}~.-` (no leading, trailing or doubled dots), an `@`, and a domain of
/// at least two dot-separated labels that is a valid internationalised host name, its
/// top-level label alphabetic (or an IDN top-level domain). Quoted local parts and
/// IP-literal domains are refused: no lead form sends them and they are a favourite of
/// spam bots. [`Email::ascii`] gives the form for a mail server without UTF-8 support of
/// the domain.
///
/// # Examples
/// ```
/// use crm_core::Email;
/// let e: Email = "  Ada.Lovelace+crm@Example.COM ".parse()?;
/// assert_eq!(e.as_str(), "ada.lovelace+crm@example.com");
/// assert_eq!(e.domain(), "example.com");
/// assert_eq!(e.dedup_key(), "ada.lovelace@example.com");
/// assert!("ada@localhost".parse::<Email>().is_err());
/// let idn: Email = "Jörg@Bäckerei-Sonnenschein.DE".parse()?;
/// assert_eq!(idn.as_str(), "jörg@bäckerei-sonnenschein.de");
/// assert_eq!(idn, "jörg@xn--bckerei-sonnenschein-bzb.de".parse()?);
/// assert_eq!(idn.ascii(), "jörg@xn--bckerei-sonnenschein-bzb.de");
/// # Ok::<(), crm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

const EMAIL_LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";

impl Email {
    /// Parses and normalises an address.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] saying what is wrong with the address.
    pub fn parse(text: &str) -> Result<Self> {
        normalize_email(text)
            .map(Email)
            .map_err(|reason| Error::invalid("email", text, reason))
    }

    /// Like [`Email::parse`], keeping `text`'s buffer when it is already normalised (as
    /// every stored ASCII address is), so reading a record does not copy it again.
    ///
    /// # Errors
    /// As [`Email::parse`].
    pub fn parse_owned(text: String) -> Result<Self> {
        let plain = text.is_ascii()
            && text.len() == text.trim().len()
            && !text.bytes().any(|b| b.is_ascii_uppercase())
            && !text.contains("xn--");
        if plain {
            match check_ascii_email(&text) {
                Ok(()) => Ok(Email(text)),
                Err(reason) => Err(Error::invalid("email", text, reason)),
            }
        } else {
            Self::parse(&text)
        }
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The domain part, after `@` (its Unicode form).
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }

    /// The address with its domain in ASCII (punycode, `xn--…`), as a mail server
    /// without internationalised domains takes it; the same as [`Email::as_str`] for an
    /// ASCII domain.
    pub fn ascii(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or((&self.0, ""));
        if domain.is_ascii() {
            return self.0.clone();
        }
        match idna::domain_to_ascii(domain) {
            Ok(ascii) => format!("{local}@{ascii}"),
            Err(_) => self.0.clone(),
        }
    }

    /// The key under which two addresses that reach the same mailbox compare equal:
    /// sub-addresses (`+tag`) are dropped, and for Gmail dots in the local part too.
    pub fn dedup_key(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or((&self.0, ""));
        let base = local.split('+').next().unwrap_or(local);
        let domain = if domain == "googlemail.com" {
            "gmail.com"
        } else {
            domain
        };
        if domain == "gmail.com" {
            format!("{}@{domain}", base.replace('.', ""))
        } else {
            format!("{base}@{domain}")
        }
    }

    /// Whether the domain is a free mail provider (a weaker signal of a business lead).
    pub fn is_free_mail(&self) -> bool {
        const FREE: [&str; 12] = [
            "gmail.com",
            "googlemail.com",
            "yahoo.com",
            "hotmail.com",
            "outlook.com",
            "live.com",
            "aol.com",
            "icloud.com",
            "gmx.de",
            "web.de",
            "proton.me",
            "protonmail.com",
        ];
        FREE.contains(&self.domain())
    }
}

/// An address in its normal form (see [`Email`]), or the reason for refusing it.
fn normalize_email(text: &str) -> std::result::Result<String, &'static str> {
    let text = text.trim();
    if text.is_ascii() && !text.contains("xn--") && !text.contains("XN--") {
        let norm = text.to_ascii_lowercase();
        return check_ascii_email(&norm).map(|()| norm);
    }
    let (local, domain) = text.rsplit_once('@').ok_or("missing @")?;
    let local = local.nfc().collect::<String>().to_lowercase();
    check_local(&local)?;
    // UTS 46: case folded, mapped, checked; punycode labels decoded and checked too
    let ascii = idna::domain_to_ascii(domain).map_err(|_| "the domain is not a valid host name")?;
    check_ascii_domain(&ascii)?;
    if local.len() + 1 + ascii.len() > 254 {
        return Err("longer than 254 characters");
    }
    let (unicode, valid) = idna::domain_to_unicode(&ascii);
    valid.map_err(|_| "the domain is not a valid host name")?;
    // a host name's labels neither start nor end with a hyphen, in either form
    if unicode
        .split('.')
        .any(|l| l.starts_with('-') || l.ends_with('-'))
    {
        return Err("the domain is not a valid host name");
    }
    Ok(format!("{local}@{unicode}"))
}

/// Checks a trimmed, lower-cased ASCII address; the reason for a refusal.
fn check_ascii_email(norm: &str) -> std::result::Result<(), &'static str> {
    if norm.len() > 254 {
        return Err("longer than 254 characters");
    }
    let (local, domain) = norm.rsplit_once('@').ok_or("missing @")?;
    check_local(local)?;
    check_ascii_domain(domain)
}

/// Checks the part before `@` (normalised): ASCII letters, digits and the specials mail
/// systems take, or letters and marks of any script (RFC 6531); no misplaced dot.
fn check_local(local: &str) -> std::result::Result<(), &'static str> {
    if local.is_empty() || local.len() > 64 {
        return Err("the part before @ must have 1 to 64 characters");
    }
    let allowed = |c: char| {
        c.is_ascii_alphanumeric()
            || EMAIL_LOCAL_SPECIALS.contains(c)
            || (!c.is_ascii() && !c.is_control() && !c.is_whitespace() && c != '\u{feff}')
    };
    if !local.chars().all(allowed) {
        return Err("the part before @ has a character mail systems refuse");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("misplaced dot before @");
    }
    Ok(())
}

/// Checks a domain in its ASCII form: host-name labels, at least two, the last alphabetic
/// (or an IDN top-level domain, `xn--…`).
fn check_ascii_domain(domain: &str) -> std::result::Result<(), &'static str> {
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        if label.is_empty()
            || label.len() > 63
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err("the domain is not a valid host name");
        }
        labels += 1;
        last = label;
    }
    if labels < 2 {
        return Err("the domain needs a dot (example.com)");
    }
    let idn_tld = last.starts_with("xn--") && last.len() > 4;
    if !idn_tld && (last.len() < 2 || !last.chars().all(|c| c.is_ascii_alphabetic())) {
        return Err("the domain does not end in a top-level domain");
    }
    Ok(())
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Email {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Email::parse_owned(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// An ISO 3166-1 alpha-2 region code used to read national phone numbers (`"US"`, `"DE"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region(phonenumber::country::Id);

impl Region {
    /// Parses a two-letter region code.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the code is not a region with a phone numbering plan.
    pub fn parse(code: &str) -> Result<Self> {
        code.trim()
            .to_ascii_uppercase()
            .parse::<phonenumber::country::Id>()
            .map(Region)
            .map_err(|_| Error::invalid("region", code, "not an ISO 3166-1 alpha-2 region"))
    }

    /// The two-letter code.
    pub fn code(&self) -> &str {
        self.0.as_ref()
    }
}

impl Serialize for Region {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Region {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Region::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A valid phone number, normalised to E.164 (`+14155550123`).
///
/// Parsing uses the `phonenumber` crate (a port of Google's libphonenumber metadata):
/// numbers written with a `+` or `00` prefix are read as international; others are read in
/// the default region given.
///
/// # Examples
/// ```
/// use crm_core::{Phone, Region};
/// let us = Region::parse("US")?;
/// assert_eq!(Phone::parse("(415) 555-2671", us)?.as_str(), "+14155552671");
/// assert_eq!(Phone::parse("+49 30 901820", us)?.as_str(), "+4930901820");
/// assert!(Phone::parse("12", us).is_err());
/// # Ok::<(), crm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

impl Phone {
    /// Parses a number written in any common format, reading national numbers in `region`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the text is not a valid number.
    pub fn parse(text: &str, region: Region) -> Result<Self> {
        let trimmed = text.trim();
        let international = trimmed
            .strip_prefix("00")
            .map(|rest| format!("+{rest}"))
            .unwrap_or_else(|| trimmed.to_string());
        let number = phonenumber::parse(Some(region.0), &international)
            .map_err(|e| Error::invalid("phone", text, format!("not a phone number ({e})")))?;
        if !phonenumber::is_valid(&number) {
            return Err(Error::invalid(
                "phone",
                text,
                "not a valid number in its numbering plan",
            ));
        }
        let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
        Ok(Phone(e164))
    }

    /// Accepts a number already in E.164 form (as stored): `+` and 7 to 15 digits, the
    /// first not 0. This is the structural check only, cheap enough for every store read;
    /// the numbering-plan check ran when the number was first parsed with [`Phone::parse`].
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when it is not in E.164 form.
    pub fn from_e164(text: &str) -> Result<Self> {
        Self::from_e164_owned(text.to_string())
    }

    /// [`Phone::from_e164`] keeping `text`'s buffer.
    ///
    /// # Errors
    /// As [`Phone::from_e164`].
    pub fn from_e164_owned(text: String) -> Result<Self> {
        let Some(digits) = text.strip_prefix('+') else {
            return Err(Error::invalid("phone", text, "E.164 numbers start with +"));
        };
        if !(7..=15).contains(&digits.len())
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
        {
            return Err(Error::invalid(
                "phone",
                text,
                "E.164 numbers are + and 7 to 15 digits, the first not 0",
            ));
        }
        Ok(Phone(text))
    }

    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Phone::from_e164_owned(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A postal address; every part optional, as forms and imports deliver them.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    /// Street and number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub street: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub city: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub postal_code: Option<String>,
    /// State, province or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub country: Option<String>,
}

impl Address {
    /// Whether no part is set.
    pub fn is_empty(&self) -> bool {
        self.street.is_none()
            && self.city.is_none()
            && self.postal_code.is_none()
            && self.region.is_none()
            && self.country.is_none()
    }
}

/// Trims a free-text field; an empty or blank value becomes `None`.
pub fn clean_text(value: Option<&str>) -> Option<String> {
    value
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
}

/// Normalises a name for matching: Unicode compatibility-decomposed, accents dropped,
/// lower-cased, punctuation removed, whitespace collapsed. Idempotent.
///
/// # Examples
/// ```
/// assert_eq!(crm_core::contact_info::normalize_name("  José  O'Brien-Smith "), "jose obriensmith");
/// ```
pub fn normalize_name(text: &str) -> String {
    if text.is_ascii() {
        return normalize_ascii_name(text);
    }
    use unicode_normalization::char::canonical_combining_class;
    // Combining marks (non-zero combining class) are dropped: they are the accents, and
    // keeping any would let a second NFKD pass reorder them.
    let keep = |c: char| c.is_alphanumeric() && canonical_combining_class(c) == 0;
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkd() {
        if keep(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(
                c.to_lowercase()
                    .flat_map(|l| l.to_string().nfkd().collect::<Vec<_>>())
                    .filter(|l| keep(*l)),
            );
        } else if c.is_whitespace() {
            pending_space = true;
        }
    }
    out
}

/// [`normalize_name`] for ASCII text, where decomposition changes nothing: the common
/// case, and ten times faster.
fn normalize_ascii_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else if b.is_ascii_whitespace() {
            pending_space = true;
        }
    }
    out
}

/// Normalises a company name for matching: like [`normalize_name`], and drops legal-form
/// words (`inc`, `ltd`, `gmbh`, …) so "ACME, Inc." and "Acme GmbH" compare equal.
///
/// # Examples
/// ```
/// use crm_core::contact_info::normalize_company;
/// assert_eq!(normalize_company("ACME, Inc."), normalize_company("Acme GmbH"));
/// ```
pub fn normalize_company(text: &str) -> String {
    const LEGAL_FORMS: [&str; 22] = [
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "kg",
        "oy",
        "ab",
    ];
    let name = normalize_name(text);
    let kept: Vec<&str> = name
        .split(' ')
        .filter(|w| !w.is_empty() && !LEGAL_FORMS.contains(w))
        .collect();
    if kept.is_empty() {
        name
    } else {
        kept.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        for bad in [
            "",
            "plain",
            "a@b",
            "a@b.c",
            "a..b@x.com",
            ".a@x.com",
            "a@-x.com",
            "a b@x.com",
            "a@x..com",
            "a@1.23",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
        let e = Email::parse("J.Doe@GoogleMail.com").unwrap();
        assert_eq!(e.dedup_key(), "jdoe@gmail.com");
        assert!(e.is_free_mail());
    }

    #[test]
    fn internationalised_addresses_are_one_address_in_either_form() {
        let unicode = Email::parse("Info@Bäckerei-Sonnenschein.DE").unwrap();
        assert_eq!(unicode.as_str(), "info@bäckerei-sonnenschein.de");
        let punycode = Email::parse("info@xn--bckerei-sonnenschein-bzb.de").unwrap();
        assert_eq!(punycode, unicode);
        assert_eq!(punycode.dedup_key(), unicode.dedup_key());
        assert_eq!(unicode.ascii(), "info@xn--bckerei-sonnenschein-bzb.de");
        assert_eq!(unicode.domain(), "bäckerei-sonnenschein.de");
        // UTF-8 local parts (RFC 6531), in normal form C: a precomposed and a decomposed ö
        let jorg = Email::parse("Jörg@example.de").unwrap();
        assert_eq!(jorg.as_str(), "jörg@example.de");
        assert_eq!(Email::parse("jo\u{308}rg@example.de").unwrap(), jorg);
        assert_eq!(jorg.ascii(), "jörg@example.de");
        assert!(
            Email::parse("почта@пример.рф").is_ok(),
            "an IDN top-level domain"
        );
        // what stays refused, in either script
        for bad in [
            "jörg@bäckerei",
            "a\u{0}b@example.com",
            "jö rg@example.de",
            "jö\u{7}rg@example.de",
            "info@bäckerei..de",
            "info@xn--zz.de",
            "jörg@-bäckerei.de",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        // a stored address reads back as it was written
        let stored = serde_json::to_string(&unicode).unwrap();
        assert_eq!(serde_json::from_str::<Email>(&stored).unwrap(), unicode);
        assert_eq!(
            Email::parse_owned(unicode.as_str().to_string()).unwrap(),
            unicode
        );
    }

    #[test]
    fn phones() {
        let us = Region::parse("us").unwrap();
        let de = Region::parse("DE").unwrap();
        assert_eq!(
            Phone::parse("030 901820", de).unwrap().as_str(),
            "+4930901820"
        );
        assert_eq!(
            Phone::parse("0049 30 901820", us).unwrap().as_str(),
            "+4930901820"
        );
        assert!(Phone::parse("not a phone", us).is_err());
        assert!(Phone::parse("+1 000", us).is_err());
        assert!(Region::parse("XX").is_err());
        let p = Phone::parse("+1 415 555 2671", us).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Phone>(&json).unwrap(), p);
        assert!(serde_json::from_str::<Phone>("\"4155552671\"").is_err());
    }

    proptest! {
        #[test]
        fn ascii_fast_path_agrees(s in "[ -~]{0,40}") {
            // The general path on the same text, forced by a non-ASCII character that
            // normalisation drops.
            let general = normalize_name(&format!("{s}\u{301}"));
            prop_assert_eq!(normalize_ascii_name(&s), general);
        }

        #[test]
        fn name_normalisation_is_idempotent(s in "\\PC{0,40}") {
            let once = normalize_name(&s);
            prop_assert_eq!(normalize_name(&once), once.clone());
            let company = normalize_company(&s);
            prop_assert_eq!(normalize_company(&company), company);
        }

        #[test]
        fn email_normalisation_is_idempotent(local in "[a-zA-Z0-9._+-]{1,20}", domain in "[a-zA-Z]{1,10}\\.[a-zA-Z]{2,4}") {
            if let Ok(e) = Email::parse(&format!("{local}@{domain}")) {
                let again = Email::parse(e.as_str()).unwrap();
                prop_assert_eq!(&again, &e);
                prop_assert_eq!(again.dedup_key(), e.dedup_key());
            }
        }

        #[test]
        fn phone_normalisation_is_idempotent(digits in "[2-9][0-9]{2}[2-9][0-9]{6}") {
            let us = Region::parse("US").unwrap();
            if let Ok(p) = Phone::parse(&digits, us) {
                prop_assert_eq!(Phone::parse(p.as_str(), us).unwrap(), p.clone());
                prop_assert_eq!(Phone::from_e164(p.as_str()).unwrap(), p);
            }
        }
    }
}

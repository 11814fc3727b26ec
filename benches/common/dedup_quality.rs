//! Precision and recall of duplicate rules on generated people: a population of distinct
//! people, true duplicates planted the ways real ones arise, and near-miss different
//! people planted the ways false matches arise. Shared by `benches/dedup.rs` (100k
//! records, the figures in RESULTS.md) and `tests/dedup_quality.rs` (a smaller set, with
//! floors the default rules must keep).

use crm::Email;
use crm::id::{LeadId, RecordRef};
use crm::lead::dedup::{DedupIndex, DedupRecord, only_possible};

use super::Rng;

const FIRST: [&str; 24] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "John",
    "Radia",
    "Tim",
    "Sophie",
    "Linus",
    "Hedy",
    "Claude",
    "Katherine",
    "Dennis",
    "Anita",
    "Niklaus",
    "Maria",
    "Wei",
    "Priya",
    "Lars",
];
const SYLLABLES: [&str; 16] = [
    "ka", "lo", "mi", "ran", "te", "so", "vu", "ber", "dal", "fin", "gor", "han", "jel", "mor",
    "pas", "quin",
];
const LEGAL: [&str; 4] = ["Ltd", "Inc", "GmbH", "SA"];

/// How a planted record came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plant {
    /// A distinct person.
    Person,
    /// The same person again: same mailbox written differently, no phone.
    SameMailbox,
    /// The same person: same phone, a typo in the last name, no e-mail.
    SamePhoneTypo,
    /// The same person from a trade-show scan: a typo in the last name, a mobile phone
    /// the CRM has not seen, no e-mail.
    TypoNewPhone,
    /// The same person: the company written without its legal form, same e-mail.
    CompanyForm,
    /// The same person with a private e-mail and no phone.
    PrivateEmail,
    /// A different person: same first name and company, another last name.
    Colleague,
    /// A different person of the very same name at the same company (own e-mail, phone).
    Namesake,
    /// A different person: one letter apart in the last name, same company, own contacts.
    NearName,
    /// A different person: the same name at another company.
    OtherCompany,
}

impl Plant {
    /// Whether the record is the same person as an earlier one.
    pub fn is_duplicate(self) -> bool {
        matches!(
            self,
            Plant::SameMailbox
                | Plant::SamePhoneTypo
                | Plant::TypoNewPhone
                | Plant::CompanyForm
                | Plant::PrivateEmail
        )
    }
}

/// One generated record: what detection sees, and who it really is.
pub struct Generated {
    /// What duplicate detection compares.
    pub record: DedupRecord,
    /// The real person.
    pub person: usize,
    /// How it came about.
    pub plant: Plant,
}

struct Person {
    first: String,
    last: String,
    company: String,
    email: String,
    phone: String,
}

fn syllables(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| SYLLABLES[rng.below(16) as usize]).collect()
}

fn typo(s: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let at = 1 + rng.below(chars.len() as u64 - 1) as usize;
    chars[at] = if chars[at] == 'e' { 'a' } else { 'e' };
    chars.into_iter().collect()
}

fn record(
    n: usize,
    first: &str,
    last: &str,
    company: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> DedupRecord {
    let email: Option<Email> = email.map(|e| e.parse().expect("generated e-mail"));
    let mut r = DedupRecord::new(
        RecordRef::Lead(LeadId::new(n as u64 + 1).expect("id")),
        Some(first),
        Some(last),
        Some(company),
        email.as_ref(),
        None,
    );
    r.phone = phone.map(str::to_string);
    r
}

/// `n` records: 80 % distinct people, 10 % true duplicates of earlier people (five ways),
/// 10 % near-miss different people (four ways), deterministic for a seed.
pub fn generate(n: usize, seed: u64) -> Vec<Generated> {
    let mut rng = Rng(seed);
    let companies: Vec<String> = (0..(n / 12).max(8))
        .map(|_| {
            format!(
                "{} {}",
                syllables(&mut rng, 3),
                LEGAL[rng.below(4) as usize]
            )
        })
        .collect();
    let mut people: Vec<Person> = Vec::new();
    let mut out: Vec<Generated> = Vec::with_capacity(n);
    let new_person = |rng: &mut Rng,
                      people: &mut Vec<Person>,
                      first: Option<&str>,
                      last: Option<String>,
                      company: Option<&str>| {
        let first = first.map_or_else(|| FIRST[rng.below(24) as usize].to_string(), str::to_string);
        let last = last.unwrap_or_else(|| {
            let mut l = syllables(rng, 3);
            l[..1].make_ascii_uppercase();
            l
        });
        let company = company.map_or_else(
            || companies[rng.below(companies.len() as u64) as usize].clone(),
            str::to_string,
        );
        let k = people.len();
        let domain: String = company.split(' ').next().unwrap_or("x").to_lowercase();
        people.push(Person {
            email: format!(
                "{}.{}{k}@{domain}.example",
                first.to_lowercase(),
                last.to_lowercase()
            ),
            phone: format!("+4930{:07}", (k * 7919 + 13) % 10_000_000),
            first,
            last,
            company,
        });
        k
    };
    for i in 0..n {
        let roll = if people.len() < 50 {
            99
        } else {
            rng.below(100)
        };
        let (person, plant, rec) = match roll {
            0..=79 | 99 => {
                let k = new_person(&mut rng, &mut people, None, None, None);
                let p = &people[k];
                (
                    k,
                    Plant::Person,
                    record(
                        i,
                        &p.first,
                        &p.last,
                        &p.company,
                        Some(&p.email),
                        Some(&p.phone),
                    ),
                )
            }
            80..=89 => {
                let k = rng.below(people.len() as u64) as usize;
                let p = &people[k];
                let (plant, rec) = match roll {
                    80 | 81 => (
                        Plant::SameMailbox,
                        record(
                            i,
                            &p.first,
                            &p.last,
                            &p.company,
                            Some(&p.email.to_uppercase()),
                            None,
                        ),
                    ),
                    82 | 83 => (
                        Plant::SamePhoneTypo,
                        record(
                            i,
                            &p.first,
                            &typo(&p.last, &mut rng),
                            &p.company,
                            None,
                            Some(&p.phone),
                        ),
                    ),
                    84 | 85 => (
                        Plant::TypoNewPhone,
                        record(
                            i,
                            &p.first,
                            &typo(&p.last, &mut rng),
                            &p.company,
                            None,
                            Some(&format!("+49170{i:07}")),
                        ),
                    ),
                    86 | 87 => {
                        let bare = p
                            .company
                            .rsplit_once(' ')
                            .map_or(p.company.as_str(), |(b, _)| b);
                        (
                            Plant::CompanyForm,
                            record(i, &p.first, &p.last, bare, Some(&p.email), None),
                        )
                    }
                    _ => {
                        let private = format!(
                            "{}{}@mail{}.example",
                            p.first.to_lowercase(),
                            i,
                            rng.below(9)
                        );
                        (
                            Plant::PrivateEmail,
                            record(i, &p.first, &p.last, &p.company, Some(&private), None),
                        )
                    }
                };
                (k, plant, rec)
            }
            _ => {
                let k0 = rng.below(people.len() as u64) as usize;
                let (first, last, company) = (
                    people[k0].first.clone(),
                    people[k0].last.clone(),
                    people[k0].company.clone(),
                );
                let (plant, k) = match roll {
                    90..=92 => (
                        Plant::Colleague,
                        new_person(&mut rng, &mut people, Some(&first), None, Some(&company)),
                    ),
                    93 | 94 => (
                        Plant::Namesake,
                        new_person(
                            &mut rng,
                            &mut people,
                            Some(&first),
                            Some(last),
                            Some(&company),
                        ),
                    ),
                    95 | 96 => {
                        let near = typo(&last, &mut rng);
                        (
                            Plant::NearName,
                            new_person(
                                &mut rng,
                                &mut people,
                                Some(&first),
                                Some(near),
                                Some(&company),
                            ),
                        )
                    }
                    _ => (
                        Plant::OtherCompany,
                        new_person(&mut rng, &mut people, Some(&first), Some(last), None),
                    ),
                };
                let p = &people[k];
                (
                    k,
                    plant,
                    record(
                        i,
                        &p.first,
                        &p.last,
                        &p.company,
                        Some(&p.email),
                        Some(&p.phone),
                    ),
                )
            }
        };
        out.push(Generated {
            record: rec,
            person,
            plant,
        });
    }
    out
}

/// What the rules made of a generated set, record by record as an import meets them:
/// each record is compared with the records before it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quality {
    /// Records that are true duplicates of an earlier one.
    pub duplicates: usize,
    /// True duplicates with a sure match (left out by an import).
    pub sure_hits: usize,
    /// True duplicates with only possible matches (kept, put on the review list).
    pub possible_hits: usize,
    /// Different people with a sure match: people an import would lose.
    pub sure_false: usize,
    /// Different people with only possible matches (a person dismisses them).
    pub possible_false: usize,
    /// Different people in all.
    pub different: usize,
}

impl Quality {
    /// Of the records left out as sure duplicates, the share that were duplicates.
    pub fn sure_precision(&self) -> f64 {
        ratio(self.sure_hits, self.sure_hits + self.sure_false)
    }
    /// Of the true duplicates, the share caught as sure or possible.
    pub fn recall(&self) -> f64 {
        ratio(self.sure_hits + self.possible_hits, self.duplicates)
    }
    /// Of the true duplicates, the share caught as sure.
    pub fn sure_recall(&self) -> f64 {
        ratio(self.sure_hits, self.duplicates)
    }
    /// Of everything flagged (sure or possible), the share that were duplicates.
    pub fn precision(&self) -> f64 {
        let hits = self.sure_hits + self.possible_hits;
        ratio(hits, hits + self.sure_false + self.possible_false)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Runs the default rules over `set` and tallies the outcome.
pub fn measure(set: &[Generated]) -> Quality {
    let mut index = DedupIndex::with_capacity(set.len());
    let mut q = Quality::default();
    for g in set {
        let found = index.add(g.record.clone());
        let sure = found
            .iter()
            .any(|(i, reason)| !only_possible(reason, &g.record, &index.records()[*i]));
        if g.plant.is_duplicate() {
            q.duplicates += 1;
            // a match counts when it points at the same person
            let right: Vec<_> = found
                .iter()
                .filter(|(i, _)| set[*i].person == g.person)
                .collect();
            if right
                .iter()
                .any(|(i, r)| !only_possible(r, &g.record, &index.records()[*i]))
            {
                q.sure_hits += 1;
            } else if !right.is_empty() {
                q.possible_hits += 1;
            }
        } else {
            q.different += 1;
            if sure {
                q.sure_false += 1;
            } else if !found.is_empty() {
                q.possible_false += 1;
            }
        }
    }
    q
}

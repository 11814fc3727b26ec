//! Every stored record of a kind as columns, straight from the store's bytes, decoded on
//! every core while the next page is read.

use std::sync::Arc;

use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::store::{EntityKind, Store};
use crate::surface::model::Model;

use super::{Columns, Table};

/// The stored records of `kind` whose type the model knows, as columns: read from the
/// store's bytes in id order, without building the records. Pages are decoded on every
/// core while the next one is read (the caller waits for the whole batch anyway).
///
/// # Errors
/// [`Error::InvalidValue`] for a kind without a public record type; [`Error::Corrupt`]
/// for a stored record that does not fit its type; [`Error::Storage`] when the store fails.
pub fn stored<S: Store>(crm: &Crm<S>, model: &Model, kind: EntityKind) -> Result<Table> {
    const PAGE: usize = 16_384;
    let plan = type_of(kind)
        .and_then(|name| model.def_named(name))
        .ok_or_else(|| Error::invalid("kind", kind.as_str(), "has no public record type"))?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8));
    let decode = |page: &Page, rows: std::ops::Range<usize>| -> Result<Columns> {
        let mut columns = Columns::with_capacity(model, &plan, rows.len());
        for i in rows {
            columns.push_json(page.row(i)).map_err(|e| Error::Corrupt {
                kind: kind.as_str().into(),
                id: page.ids[i],
                message: e.to_string(),
            })?;
        }
        Ok(columns)
    };
    let mut parts = crm.read(|tx| {
        std::thread::scope(|scope| {
            let mut parts = Vec::new();
            let mut running: Vec<std::thread::ScopedJoinHandle<'_, Result<Columns>>> = Vec::new();
            let mut after = 0;
            loop {
                // the next page is read while the last one is decoded
                let mut page = Page::default();
                let visited = tx.visit_raw(kind, after, PAGE, &mut |id, _, data| {
                    page.push(id, data);
                    Ok(())
                })?;
                for handle in running.drain(..) {
                    parts.push(joined(handle)?);
                }
                let Some(&last) = page.ids.last() else { break };
                after = last;
                let page = Arc::new(page);
                let chunk = visited.div_ceil(workers).max(1);
                for start in (0..visited).step_by(chunk) {
                    let page = Arc::clone(&page);
                    let decode = &decode;
                    let rows = start..(start + chunk).min(visited);
                    running.push(scope.spawn(move || decode(&page, rows)));
                }
                if visited < PAGE {
                    for handle in running.drain(..) {
                        parts.push(joined(handle)?);
                    }
                    break;
                }
            }
            Ok(parts)
        })
    })?;
    if parts.is_empty() {
        parts.push(Columns::new(model, &plan));
    }
    Columns::finish_parts(parts)
}

/// A page of stored records' JSON, in one buffer.
#[derive(Default)]
struct Page {
    text: String,
    ends: Vec<usize>,
    ids: Vec<u64>,
}

impl Page {
    fn push(&mut self, id: u64, data: &str) {
        self.text.push_str(data);
        self.ends.push(self.text.len());
        self.ids.push(id);
    }

    fn row(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

fn joined(handle: std::thread::ScopedJoinHandle<'_, Result<Columns>>) -> Result<Columns> {
    handle.join().unwrap_or_else(|_| {
        Err(Error::Internal {
            message: "a decoding thread panicked".into(),
        })
    })
}

/// The public record type of a stored kind, by its name in the model.
fn type_of(kind: EntityKind) -> Option<&'static str> {
    use EntityKind as K;
    Some(match kind {
        K::Lead => "Lead",
        K::Account => "Account",
        K::Contact => "Contact",
        K::Touchpoint => "Touchpoint",
        K::Activity => "Activity",
        K::Purchase => "Purchase",
        K::Opportunity => "Opportunity",
        K::Pipeline => "Pipeline",
        K::WebForm => "WebForm",
        K::ExchangeRate => "ExchangeRate",
        K::Product => "ProductRecord",
        K::PriceBook => "PriceBookRecord",
        K::Quote => "Quote",
        K::SalesOrder => "SalesOrder",
        K::Case => "Case",
        K::Asset => "Asset",
        K::Warranty => "Warranty",
        K::Contract => "Contract",
        K::Technician => "Technician",
        K::ServiceOrder => "ServiceOrder",
        K::MaintenancePlan => "MaintenancePlan",
        K::Article => "Article",
        K::Calendar => "CalendarRecord",
        K::SlaPolicy => "SlaPolicyRecord",
        K::Campaign => "Campaign",
        K::Segment => "Segment",
        K::MarketingPlan => "MarketingPlan",
        K::AutomationRule => "AutomationRule",
        K::AutomationAction => "AutomationAction",
        K::ExternalLink => "ExternalLink",
        K::Consent => "Consent",
        K::DoNotContact => "DoNotContact",
        K::CustomField => "CustomField",
        K::DuplicateReview => "DuplicateReview",
        K::User => "User",
        K::Team => "Team",
        K::Role => "Role",
        K::PermissionSet => "PermissionSet",
        K::SharingRule => "SharingRule",
        K::Share => "Share",
        K::OrgDefault => "OrgDefaultSetting",
        K::AssignmentRule => "AssignmentRule",
        K::Delivery => "Delivery",
        K::Queue => "Queue",
        K::Agent => "Agent",
        K::RoutingRule => "RoutingRule",
        K::EscalationRule => "EscalationRule",
        K::Survey => "Survey",
        K::DuplicateRules => return None,
        K::UnsubscribeToken => return None,
        K::AutomationState => return None,
    })
}

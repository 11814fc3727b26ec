//! The sale closing itself out: what a sales order does when it is made (the customer's
//! purchases, the hand-off to the ERP queued in the outbox), and the order's life after
//! (the ERP's acknowledgement, fulfilment line by line installing serialised units as
//! assets with their product's warranty, cancellation). Every step is one transaction
//! with its events, so a crash between steps loses nothing and repeats nothing.

use chrono::{DateTime, Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::customer::{Contact, NewPurchase, Purchase};
use crate::error::{Error, Problems, Result};
use crate::event::DomainEvent;
use crate::id::{ContactId, RecordKey, SalesOrderId};
use crate::outbox::{Delivery, DeliveryStatus};
use crate::quote::catalog::ProductRecord;
use crate::quote::document::SalesOrder;
use crate::quote::order::{LineFulfilment, SalesOrderStatus};
use crate::sales::Opportunity;
use crate::service::installed::{Asset, NewAsset, Warranty};
use crate::store::{EntityKind, ReadExt, ReadTx, Store, WriteExt, WriteTx};

use super::Crm;
use super::outbox_cases::{queue_delivery, save_delivery};

/// The outbox target sales orders go to.
pub const ERP: &str = "erp";

/// What delivering part of an order did: the order as it now stands, and the assets and
/// warranties installed for its serialised products.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fulfilment {
    /// The order after the delivery.
    pub order: SalesOrder,
    /// One asset per serialised unit delivered.
    pub assets: Vec<Asset>,
    /// The warranties those units came with.
    pub warranties: Vec<Warranty>,
}

/// The idempotency key of an order's hand-off to the ERP (`sales_order:12`).
pub fn order_delivery_key(order: SalesOrderId) -> String {
    RecordKey::new(EntityKind::SalesOrder, order.get()).to_string()
}

impl<S: Store> Crm<S> {
    /// The ERP confirmed an order under its own `reference`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless the order is open or sent;
    /// [`Error::InvalidValue`] for an empty reference; [`Error::NotFound`];
    /// [`Error::Storage`].
    pub fn acknowledge_order(
        &self,
        id: SalesOrderId,
        reference: &str,
        now: DateTime<Utc>,
    ) -> Result<SalesOrder> {
        self.write(|tx| {
            let mut order: SalesOrder = tx.load(id)?;
            order.acknowledge(reference, now)?;
            save_order(tx, &mut order, now)?;
            Ok(order)
        })
    }

    /// Records what was delivered on an order's lines. A serialised product's units
    /// become assets at the customer (one per serial number given, installed on the
    /// delivery day, with the product's warranty from that day).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless the order is acknowledged or partly fulfilled;
    /// [`Error::Validation`] listing every bad line, quantity or serial number (a
    /// serialised line needs exactly one serial per unit, others none); [`Error::Duplicate`]
    /// for a serial number already installed; nothing is written then.
    pub fn fulfil_order(
        &self,
        id: SalesOrderId,
        deliveries: Vec<LineFulfilment>,
        now: DateTime<Utc>,
    ) -> Result<Fulfilment> {
        self.write(|tx| {
            let mut order: SalesOrder = tx.load(id)?;
            order.fulfil(&deliveries, now)?;
            let units = serialised_units(&*tx, &order, &deliveries)?;
            let day = now.date_naive();
            let (mut assets, mut warranties) = (Vec::new(), Vec::new());
            for (product, serial) in units {
                let asset = super::installed_cases::insert_asset(
                    tx,
                    NewAsset {
                        serial_number: serial,
                        product: product.product.sku.clone(),
                        account: order.content.account,
                        name: String::new(),
                        installed_on: Some(day),
                        location: None,
                        custom: Default::default(),
                    },
                    Some(id),
                    now,
                )?;
                if let Some(terms) = &product.product.warranty {
                    let ends_on = warranty_end(day, terms.months)?;
                    warranties.push(super::installed_cases::insert_warranty(
                        tx,
                        asset.id,
                        day,
                        ends_on,
                        &terms.terms,
                        now,
                    )?);
                }
                assets.push(asset);
            }
            save_order(tx, &mut order, now)?;
            Ok(Fulfilment {
                order,
                assets,
                warranties,
            })
        })
    }

    /// Cancels an order nothing of which was delivered: the purchases it recorded go (the
    /// sale did not happen; the event log keeps them). A hand-off the ERP has not had yet
    /// is withdrawn; one it has (or may have: a worker is sending it) is followed by a
    /// cancellation delivered the same way (`sales_order:12:cancel`).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] once anything is fulfilled, or when already
    /// cancelled; [`Error::NotFound`]; [`Error::Storage`].
    pub fn cancel_order(
        &self,
        id: SalesOrderId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<SalesOrder> {
        self.write(|tx| {
            let mut order: SalesOrder = tx.load(id)?;
            order.cancel(reason, now)?;
            for p in order_purchases(&*tx, &order)? {
                tx.remove(&p)?;
                tx.emit(
                    &DomainEvent::RecordDeleted {
                        record: RecordKey::new(EntityKind::Purchase, p.id.get()),
                        cascaded: true,
                    },
                    now,
                )?;
            }
            let key = order_delivery_key(id);
            let mut handed_over = false;
            for mut d in tx.find::<Delivery>(Delivery::BY_KEY, &key)? {
                match d.status {
                    DeliveryStatus::Pending | DeliveryStatus::Dead => {
                        d.cancel()?;
                        save_delivery(tx, &mut d, now)?;
                    }
                    DeliveryStatus::InFlight | DeliveryStatus::Delivered => handed_over = true,
                    DeliveryStatus::Cancelled => {}
                }
            }
            if handed_over {
                let payload = serde_json::json!({
                    "format": "crm-core/sales-order-cancellation",
                    "format_version": 1,
                    "order_id": id.get(),
                    "erp_reference": order.erp_reference,
                    "reason": order.cancel_reason,
                });
                queue_delivery(
                    tx,
                    Delivery::new(
                        ERP,
                        format!("{key}:cancel"),
                        Some(RecordKey::new(EntityKind::SalesOrder, id.get())),
                        payload,
                        now,
                    ),
                    now,
                )?;
            }
            save_order(tx, &mut order, now)?;
            Ok(order)
        })
    }

    /// The sales orders with a status, oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn orders_with_status(&self, status: SalesOrderStatus) -> Result<Vec<SalesOrder>> {
        self.read(|tx| {
            let mut orders: Vec<SalesOrder> = tx.all()?;
            orders.retain(|o| o.status == status);
            Ok(orders)
        })
    }

    /// The purchases an order recorded, in line order.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn purchases_of_order(&self, id: SalesOrderId) -> Result<Vec<Purchase>> {
        self.read(|tx| order_purchases(tx, &tx.load(id)?))
    }
}

/// The purchases an order recorded (they are its account's).
fn order_purchases(tx: &dyn ReadTx, order: &SalesOrder) -> Result<Vec<Purchase>> {
    let account = order.content.account.to_string();
    let mut found: Vec<Purchase> = tx.find(Purchase::BY_ACCOUNT, &account)?;
    found.retain(|p| p.sales_order == Some(order.id));
    Ok(found)
}

/// Writes an order whose status changed, with its event.
pub(crate) fn save_order(
    tx: &mut dyn WriteTx,
    order: &mut SalesOrder,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.update(order)?;
    tx.emit(
        &DomainEvent::SalesOrderStatusChanged {
            order: order.id,
            status: order.status.as_str().into(),
        },
        now,
    )?;
    Ok(())
}

/// What making an order does besides storing it: the customer's purchases, one per line
/// at the price the line was sold at, and the order's hand-off to the ERP.
pub(crate) fn close_sale_in(
    tx: &mut dyn WriteTx,
    order: &SalesOrder,
    now: DateTime<Utc>,
) -> Result<Vec<Purchase>> {
    let buyer = buyer_of(&*tx, order)?;
    let rep = match order.content.opportunity {
        Some(o) => tx.load::<Opportunity>(o)?.owner,
        None => None,
    };
    let mode = order.content.rounding.mode;
    let mut purchases = Vec::with_capacity(order.content.lines.len());
    for (line, priced) in order.content.lines.iter().zip(&order.priced.lines) {
        let quantity = line.price.quantity;
        let unit_price = priced.net.divided_by(quantity)?.round(mode);
        purchases.push(super::insert_purchase(
            tx,
            NewPurchase {
                contact: buyer,
                product: line.sku.clone().unwrap_or_else(|| line.description.clone()),
                purchased_at: now,
                sales_rep: rep.clone(),
                quantity,
                unit_price,
                special_instructions: line.special_instructions.clone(),
                feedback: None,
                custom: Default::default(),
            },
            Some((order, priced.net)),
            now,
        )?);
    }
    queue_delivery(
        tx,
        Delivery::new(
            ERP,
            order_delivery_key(order.id),
            Some(RecordKey::new(EntityKind::SalesOrder, order.id.get())),
            order.erp_payload(),
            now,
        ),
        now,
    )?;
    Ok(purchases)
}

/// Who bought: the quote's contact, else the opportunity's, else the account's first.
fn buyer_of(tx: &dyn ReadTx, order: &SalesOrder) -> Result<ContactId> {
    if let Some(c) = order.content.contact {
        return Ok(c);
    }
    if let Some(o) = order.content.opportunity
        && let Some(c) = tx.load::<Opportunity>(o)?.contact
    {
        return Ok(c);
    }
    let account = order.content.account;
    tx.find::<Contact>(Contact::BY_ACCOUNT, &account.to_string())?
        .first()
        .map(|c| c.id)
        .ok_or_else(|| {
            Error::invalid(
                "quote",
                order.quote.to_string(),
                format!(
                    "names no contact, and account {account} has none: the order's purchases \
                     need a buyer (set the quote's contact)"
                ),
            )
        })
}

/// The serialised units delivered, with their product, checked: a serialised line
/// needs one distinct serial number per unit delivered, any other line none.
fn serialised_units(
    tx: &dyn ReadTx,
    order: &SalesOrder,
    deliveries: &[LineFulfilment],
) -> Result<Vec<(ProductRecord, String)>> {
    let mut p = Problems::new();
    let mut units = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, d) in deliveries.iter().enumerate() {
        let field = format!("deliveries[{i}].serials");
        // the line exists: `SalesOrder::fulfil` checked it
        let line = &order.content.lines[d.line as usize];
        let product = match &line.sku {
            Some(sku) => tx
                .find::<ProductRecord>(ProductRecord::BY_SKU, sku)?
                .into_iter()
                .next(),
            None => None,
        };
        let Some(product) = product.filter(|p| p.product.serialised) else {
            if !d.serials.is_empty() {
                p.push(field, "the line's product is not serialised");
            }
            continue;
        };
        if Decimal::from(d.serials.len()) != d.quantity {
            p.push(
                field,
                format!(
                    "{} serial numbers for {} units of {}",
                    d.serials.len(),
                    d.quantity,
                    product.product.sku
                ),
            );
            continue;
        }
        for s in &d.serials {
            let key = Asset::serial_key(s);
            if key.is_empty() {
                p.push(field.clone(), "a serial number is empty");
            } else if !seen.insert(key.clone()) {
                p.push(field.clone(), format!("serial number {key} is given twice"));
            } else {
                units.push((product.clone(), s.trim().to_string()));
            }
        }
    }
    p.finish(units)
}

/// The last day of a warranty of `months` starting on `start`.
fn warranty_end(start: NaiveDate, months: u32) -> Result<NaiveDate> {
    start
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| Error::invalid("warranty.months", months.to_string(), "out of range"))
}

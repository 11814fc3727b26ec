//! Sales use cases: pipelines, opportunities, activities, exchange rates and the forecast.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::activity::{
    Activity, ActivityKind, CallDetails, MAX_OCCURRENCES, NewActivity, NewCall, Reminder,
};
use crate::error::Result;
use crate::event::DomainEvent;
use crate::id::{AccountId, ActivityId, ContactId, OpportunityId, PipelineId, RecordRef};
use crate::money::{Currency, Money, Percent};
use crate::quote::catalog::ProductRecord;
use crate::sales::forecast::{Forecast, Period, forecast};
use crate::sales::fx::{ExchangeRate, RateTable, check_rate};
use crate::sales::{
    KeyPlayer, LineItem, LineItemInput, NewOpportunity, OnQuoteAccepted, Opportunity, Pipeline,
    Stage,
};
use crate::store::{EntityKind, ReadExt, RecordId, Store, WriteExt, WriteTx};

use super::{Crm, ensure_exists};

impl<S: Store> Crm<S> {
    /// Defines a pipeline.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for a bad stage list; [`crate::Error::Storage`].
    pub fn define_pipeline(
        &self,
        name: &str,
        stages: Vec<Stage>,
        now: DateTime<Utc>,
    ) -> Result<Pipeline> {
        Pipeline::check_stages(name, &stages)?;
        self.write(|tx| {
            let p = tx.insert(|id| Pipeline {
                id,
                version: crate::id::Version::NEW,
                name: name.trim().to_string(),
                stages,
                on_quote_accepted: OnQuoteAccepted::default(),
            })?;
            tx.emit(&DomainEvent::PipelineDefined { pipeline: p.id }, now)?;
            Ok(p)
        })
    }

    /// A pipeline.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`]; [`crate::Error::Storage`].
    pub fn pipeline(&self, id: PipelineId) -> Result<Pipeline> {
        self.read(|tx| tx.load(id))
    }

    /// The pipeline called `name` (case-insensitive), if any.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub fn pipeline_named(&self, name: &str) -> Result<Option<Pipeline>> {
        self.read(|tx| {
            Ok(tx
                .find::<Pipeline>(0, &name.trim().to_lowercase())?
                .into_iter()
                .next())
        })
    }

    /// Opens an opportunity.
    ///
    /// # Errors
    /// [`crate::Error::Validation`]; [`crate::Error::NotFound`] for an unknown account,
    /// contact or pipeline; [`crate::Error::Storage`].
    pub fn open_opportunity(&self, new: NewOpportunity, now: DateTime<Utc>) -> Result<Opportunity> {
        self.write(|tx| open_opportunity_in(tx, new, now))
    }

    fn change_opportunity(
        &self,
        id: OpportunityId,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut Opportunity, &Pipeline) -> Result<DomainEvent>,
    ) -> Result<Opportunity> {
        self.write(|tx| change_opportunity_in(tx, id, now, change))
    }

    /// Prices catalog products into an open opportunity from a price book (list prices
    /// on `now`'s day): the line items replace the earlier ones and their nets, summed,
    /// become the amount; their SKUs join the products of interest. No items: the line
    /// items are cleared and the amount stays.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] naming every unknown or inactive product, product
    /// without a price that day, or quantity not above zero; [`crate::Error::NotFound`]
    /// for an unknown opportunity or book; [`crate::Error::CurrencyMismatch`] for a book
    /// in another currency; [`crate::Error::IllegalTransition`] for a closed deal;
    /// [`crate::Error::Storage`].
    pub fn set_line_items(
        &self,
        id: OpportunityId,
        items: Vec<LineItemInput>,
        price_book: &str,
        now: DateTime<Utc>,
    ) -> Result<Opportunity> {
        let book = self
            .price_book(price_book)?
            .ok_or_else(|| crate::Error::not_found("price book", price_book))?
            .book;
        let day = now.date_naive();
        self.write(|tx| {
            let mut p = crate::error::Problems::new();
            let mut lines = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let field = format!("items[{i}]");
                if item.quantity <= Decimal::ZERO {
                    p.push(format!("{field}.quantity"), "must be above zero");
                    continue;
                }
                let product = tx
                    .find::<ProductRecord>(ProductRecord::BY_SKU, &item.sku)?
                    .into_iter()
                    .next()
                    .filter(|r| r.product.active);
                let Some(product) = product else {
                    p.push(format!("{field}.sku"), "no active product with this SKU");
                    continue;
                };
                let Some(list_price) =
                    p.take(&format!("{field}.sku"), book.price_of(&item.sku, day))
                else {
                    continue;
                };
                let discount = item.discount.unwrap_or(Percent::ZERO);
                let gross = list_price.times(item.quantity);
                let net = gross
                    .checked_sub(&gross.times(discount.as_fraction()))?
                    .round(crate::money::RoundingMode::HalfEven);
                lines.push(LineItem {
                    sku: item.sku.clone(),
                    name: product.product.name.clone(),
                    quantity: item.quantity,
                    list_price,
                    discount,
                    net,
                });
            }
            p.finish(())?;
            change_opportunity_in(tx, id, now, |o, _| {
                if let Some(first) = lines.first() {
                    let zero = Money::zero(first.net.currency());
                    let amount = lines
                        .iter()
                        .try_fold(zero, |sum, l| sum.checked_add(&l.net))?;
                    o.revise(Some(amount), None, now)?;
                    for l in &lines {
                        if !o.products.iter().any(|p| p.eq_ignore_ascii_case(&l.sku)) {
                            o.products.push(l.sku.clone());
                        }
                    }
                } else {
                    o.revise(None, None, now)?;
                }
                o.line_items = lines;
                Ok(DomainEvent::OpportunityUpdated { opportunity: id })
            })
        })
    }

    /// Sets what accepting a quote does to the opportunities of a pipeline: the amount
    /// following the quote, a move to a stage (the won stage wins the deal).
    ///
    /// # Errors
    /// [`crate::Error::InvalidValue`] for an unknown stage or the lost stage;
    /// [`crate::Error::NotFound`]; [`crate::Error::Storage`].
    pub fn set_quote_acceptance(
        &self,
        pipeline: PipelineId,
        rule: OnQuoteAccepted,
        now: DateTime<Utc>,
    ) -> Result<Pipeline> {
        self.write(|tx| {
            let mut p: Pipeline = tx.load(pipeline)?;
            p.check_quote_rule(&rule)?;
            p.on_quote_accepted = rule;
            tx.update(&mut p)?;
            tx.emit(&DomainEvent::PipelineDefined { pipeline }, now)?;
            Ok(p)
        })
    }

    /// Moves an opportunity to another open stage.
    ///
    /// # Errors
    /// [`crate::Error::IllegalTransition`]; [`crate::Error::InvalidValue`] for an unknown
    /// stage; [`crate::Error::NotFound`]; [`crate::Error::Storage`].
    pub fn advance_opportunity(
        &self,
        id: OpportunityId,
        stage: &str,
        now: DateTime<Utc>,
    ) -> Result<Opportunity> {
        self.change_opportunity(id, now, |o, p| {
            let from = o.stage.clone();
            o.advance(p, stage, now)?;
            Ok(DomainEvent::StageChanged {
                opportunity: id,
                from,
                to: o.stage.clone(),
                probability: o.probability,
            })
        })
    }

    /// Closes an opportunity as won, optionally at a final amount.
    ///
    /// # Errors
    /// [`crate::Error::IllegalTransition`]; [`crate::Error::CurrencyMismatch`];
    /// [`crate::Error::NotFound`]; [`crate::Error::Storage`].
    pub fn win_opportunity(
        &self,
        id: OpportunityId,
        amount: Option<Money>,
        now: DateTime<Utc>,
    ) -> Result<Opportunity> {
        self.change_opportunity(id, now, |o, p| {
            o.win(p, amount, now)?;
            Ok(DomainEvent::OpportunityWon {
                opportunity: id,
                amount: o.amount,
            })
        })
    }

    /// Closes an opportunity as lost.
    ///
    /// # Errors
    /// [`crate::Error::IllegalTransition`]; [`crate::Error::InvalidValue`] for a blank
    /// reason; [`crate::Error::NotFound`]; [`crate::Error::Storage`].
    pub fn lose_opportunity(
        &self,
        id: OpportunityId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Opportunity> {
        self.change_opportunity(id, now, |o, p| {
            o.lose(p, reason, now)?;
            Ok(DomainEvent::OpportunityLost {
                opportunity: id,
                reason: reason.trim().to_string(),
            })
        })
    }

    /// Sets an opportunity's probability by hand (kept until released).
    ///
    /// # Errors
    /// [`crate::Error::IllegalTransition`] on a closed deal; [`crate::Error::NotFound`];
    /// [`crate::Error::Storage`].
    pub fn set_opportunity_probability(
        &self,
        id: OpportunityId,
        probability: Percent,
        now: DateTime<Utc>,
    ) -> Result<Opportunity> {
        self.change_opportunity(id, now, |o, _| {
            o.set_probability(probability, now)?;
            Ok(DomainEvent::OpportunityUpdated { opportunity: id })
        })
    }

    /// Lets an opportunity's probability follow its stage again.
    ///
    /// # Errors
    /// [`crate::Error::IllegalTransition`] on a closed deal; [`crate::Error::NotFound`];
    /// [`crate::Error::Storage`].
    pub fn release_opportunity_probability(
        &self,
        id: OpportunityId,
        now: DateTime<Utc>,
    ) -> Result<Opportunity> {
        self.change_opportunity(id, now, |o, p| {
            o.release_probability(p, now)?;
            Ok(DomainEvent::OpportunityUpdated { opportunity: id })
        })
    }

    /// Changes an opportunity's amount and/or expected close date.
    ///
    /// # Errors
    /// [`crate::Error::IllegalTransition`]; [`crate::Error::CurrencyMismatch`];
    /// [`crate::Error::NotFound`]; [`crate::Error::Storage`].
    pub fn revise_opportunity(
        &self,
        id: OpportunityId,
        amount: Option<Money>,
        expected_close: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<Opportunity> {
        self.change_opportunity(id, now, |o, _| {
            o.revise(amount, expected_close, now)?;
            Ok(DomainEvent::OpportunityUpdated { opportunity: id })
        })
    }

    /// Adds a contact to an opportunity's key players with a role (or changes their role).
    ///
    /// # Errors
    /// [`crate::Error::InvalidValue`] for a blank role; [`crate::Error::NotFound`] for an
    /// unknown opportunity or contact; [`crate::Error::Storage`].
    pub fn set_key_player(
        &self,
        id: OpportunityId,
        contact: ContactId,
        role: &str,
        now: DateTime<Utc>,
    ) -> Result<Opportunity> {
        let role = role.trim();
        if role.is_empty() {
            return Err(crate::Error::invalid(
                "role",
                role,
                "a key player needs a role",
            ));
        }
        self.write(|tx| {
            ensure_exists(tx, RecordRef::Contact(contact))?;
            let mut o: Opportunity = tx.load(id)?;
            match o.key_players.iter_mut().find(|k| k.contact == contact) {
                Some(k) => k.role = role.to_string(),
                None => o.key_players.push(KeyPlayer {
                    contact,
                    role: role.to_string(),
                }),
            }
            o.updated_at = now;
            tx.update(&mut o)?;
            tx.emit(&DomainEvent::OpportunityUpdated { opportunity: id }, now)?;
            Ok(o)
        })
    }

    /// An opportunity.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`]; [`crate::Error::Storage`].
    pub fn opportunity(&self, id: OpportunityId) -> Result<Opportunity> {
        self.read(|tx| tx.load(id))
    }

    /// Every opportunity, in id order.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub fn opportunities(&self) -> Result<Vec<Opportunity>> {
        self.read(|tx| tx.all())
    }

    /// The opportunities of an account.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub fn opportunities_of(&self, account: AccountId) -> Result<Vec<Opportunity>> {
        self.read(|tx| tx.find(Opportunity::BY_ACCOUNT, &account.to_string()))
    }

    /// Logs or schedules an activity on any record.
    ///
    /// # Errors
    /// [`crate::Error::Validation`]; [`crate::Error::NotFound`] for an unknown subject;
    /// [`crate::Error::Storage`].
    pub fn log_activity(&self, new: NewActivity, now: DateTime<Utc>) -> Result<Activity> {
        self.write(|tx| log_activity_in(tx, new, now))
    }

    /// Completes an activity with an outcome.
    ///
    /// # Errors
    /// [`crate::Error::IllegalTransition`] when it is already done; [`crate::Error::NotFound`];
    /// [`crate::Error::Storage`].
    pub fn complete_activity(
        &self,
        id: ActivityId,
        outcome: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Activity> {
        self.write(|tx| {
            let mut a: Activity = tx.load(id)?;
            a.complete(now, outcome)?;
            tx.update(&mut a)?;
            tx.emit(&DomainEvent::ActivityCompleted { activity: id }, now)?;
            Ok(a)
        })
    }

    /// Cancels an open activity (with the reason, if given).
    ///
    /// # Errors
    /// [`crate::Error::IllegalTransition`] when it is done or cancelled already;
    /// [`crate::Error::NotFound`]; [`crate::Error::Storage`].
    pub fn cancel_activity(
        &self,
        id: ActivityId,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Activity> {
        self.write(|tx| {
            let mut a: Activity = tx.load(id)?;
            a.cancel(now, reason)?;
            tx.update(&mut a)?;
            tx.emit(&DomainEvent::ActivityCancelled { activity: id }, now)?;
            Ok(a)
        })
    }

    /// Logs a call that took place as one activity: number, direction, time, duration,
    /// purpose, outcome and follow-up. It counts as `phone_call` engagement for scoring
    /// and shows on the customer's timeline.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for a blank title; [`crate::Error::NotFound`] for an
    /// unknown subject; [`crate::Error::Storage`].
    pub fn log_call(&self, call: NewCall, now: DateTime<Utc>) -> Result<Activity> {
        self.write(|tx| {
            let clean =
                |v: Option<String>| v.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
            let mut new = NewActivity::new(
                ActivityKind::Call,
                call.subject,
                clean(call.title).unwrap_or_else(|| "Call".into()),
            );
            new.notes = clean(call.notes);
            new.owner = clean(call.owner);
            new.due_at = Some(call.at);
            new.duration_minutes = Some(call.duration_secs.div_ceil(60));
            let mut a = log_activity_in(tx, new, now)?;
            a.call = Some(CallDetails {
                number: clean(call.number),
                direction: call.direction,
                purpose: clean(call.purpose),
                follow_up_at: call.follow_up_at,
            });
            a.complete(
                call.at + chrono::Duration::seconds(i64::from(call.duration_secs)),
                clean(call.outcome),
            )?;
            tx.update(&mut a)?;
            tx.emit(&DomainEvent::ActivityCompleted { activity: a.id }, now)?;
            Ok(a)
        })
    }

    /// The occurrences of an activity in `[from, until]` (at most `limit`, up to 1 000):
    /// its due time, or every due time of its recurrence.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`]; [`crate::Error::InvalidValue`] for `from` after `until`;
    /// [`crate::Error::Storage`].
    pub fn activity_occurrences(
        &self,
        id: ActivityId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DateTime<Utc>>> {
        if from > until {
            return Err(crate::Error::invalid(
                "until",
                crate::time::format_rfc3339(until),
                "is before from",
            ));
        }
        let a: Activity = self.read(|tx| tx.load(id))?;
        a.occurrences(from, until, limit)
    }

    /// The reminders of open activities that fall in `[from, until]`, earliest first: one
    /// per reminder and occurrence.
    ///
    /// # Errors
    /// [`crate::Error::InvalidValue`] for `from` after `until`; [`crate::Error::Storage`].
    pub fn due_reminders(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Reminder>> {
        if from > until {
            return Err(crate::Error::invalid(
                "until",
                crate::time::format_rfc3339(until),
                "is before from",
            ));
        }
        let open: Vec<Activity> = self.read(|tx| tx.find(Activity::BY_STATE, "open"))?;
        let mut out = Vec::new();
        for a in open.iter().filter(|a| !a.reminders.is_empty()) {
            let longest = a.reminders.iter().copied().max().unwrap_or(0);
            let horizon = until + chrono::Duration::minutes(i64::from(longest));
            for occurrence in a.occurrences(from, horizon, MAX_OCCURRENCES)? {
                for m in &a.reminders {
                    let remind_at = occurrence - chrono::Duration::minutes(i64::from(*m));
                    if remind_at >= from && remind_at <= until {
                        out.push(Reminder {
                            activity: a.id,
                            title: a.title.clone(),
                            owner: a.owner.clone(),
                            occurrence,
                            remind_at,
                        });
                    }
                }
            }
        }
        out.sort_by(|x, y| {
            x.remind_at
                .cmp(&y.remind_at)
                .then(x.activity.cmp(&y.activity))
        });
        Ok(out)
    }

    /// The activities about a record.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub fn activities_of(&self, subject: RecordRef) -> Result<Vec<Activity>> {
        self.read(|tx| tx.find(Activity::BY_SUBJECT, &subject.key()))
    }

    /// The open activities of an owner that are past due at `now`.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub fn overdue_activities(&self, owner: &str, now: DateTime<Utc>) -> Result<Vec<Activity>> {
        self.read(|tx| {
            Ok(tx
                .find::<Activity>(Activity::BY_OWNER, owner)?
                .into_iter()
                .filter(|a| a.is_overdue(now))
                .collect())
        })
    }

    /// Records the exchange rate of a pair from a day on (replacing that day's rate).
    ///
    /// # Errors
    /// [`crate::Error::InvalidValue`] for a non-positive rate or a one-currency pair;
    /// [`crate::Error::Storage`].
    pub fn set_exchange_rate(
        &self,
        from: Currency,
        to: Currency,
        on: NaiveDate,
        rate: Decimal,
        now: DateTime<Utc>,
    ) -> Result<ExchangeRate> {
        check_rate(from, to, rate)?;
        self.write(|tx| {
            let day_key = format!("{from}/{to}/{on}");
            let existing: Vec<ExchangeRate> = tx.find(ExchangeRate::BY_PAIR_DAY, &day_key)?;
            let r = match existing.into_iter().next() {
                Some(r) if r.rate == rate => return Ok(r),
                Some(mut r) => {
                    r.rate = rate;
                    tx.update(&mut r)?;
                    r
                }
                None => tx.insert(|id| ExchangeRate {
                    id,
                    version: crate::id::Version::NEW,
                    from,
                    to,
                    on,
                    rate,
                })?,
            };
            tx.emit(
                &DomainEvent::ExchangeRateSet {
                    rate_id: r.id,
                    from: from.code().into(),
                    to: to.code().into(),
                    rate: rate.to_string(),
                    on: on.to_string(),
                },
                now,
            )?;
            Ok(r)
        })
    }

    /// Every stored exchange rate as a table.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub fn rate_table(&self) -> Result<RateTable> {
        self.read(|tx| Ok(tx.all::<ExchangeRate>()?.into_iter().collect()))
    }

    /// The weighted forecast of open and won opportunities in `currency`, by `period` and
    /// owner, at the exchange rates in force on `as_of`; see [`crate::sales::forecast`].
    ///
    /// # Errors
    /// [`crate::Error::MissingExchangeRate`]; [`crate::Error::Storage`].
    pub fn forecast(
        &self,
        currency: Currency,
        period: Period,
        as_of: NaiveDate,
    ) -> Result<Forecast> {
        self.read(|tx| {
            let rates: RateTable = tx.all::<ExchangeRate>()?.into_iter().collect();
            let mut opps: Vec<Opportunity> = tx.find(Opportunity::BY_STATE, "open")?;
            opps.extend(tx.find::<Opportunity>(Opportunity::BY_STATE, "won")?);
            forecast(&opps, &rates, currency, period, as_of)
        })
    }
}

/// [`Crm::open_opportunity`] inside a write transaction.
pub(crate) fn open_opportunity_in(
    tx: &mut dyn WriteTx,
    new: NewOpportunity,
    now: DateTime<Utc>,
) -> Result<Opportunity> {
    ensure_exists(tx, RecordRef::Account(new.account))?;
    if let Some(c) = new.contact {
        ensure_exists(tx, RecordRef::Contact(c))?;
    }
    let pipeline: Pipeline = tx.load(new.pipeline)?;
    let id = OpportunityId::from_raw(tx.next_id(EntityKind::Opportunity)?);
    let mut o = Opportunity::open(id, new, &pipeline, now)?;
    tx.update(&mut o)?;
    tx.emit(
        &DomainEvent::OpportunityOpened {
            opportunity: o.id,
            account: o.account,
            amount: o.amount,
        },
        now,
    )?;
    Ok(o)
}

/// [`Crm::log_activity`] inside a write transaction.
pub(crate) fn log_activity_in(
    tx: &mut dyn WriteTx,
    new: NewActivity,
    now: DateTime<Utc>,
) -> Result<Activity> {
    new.check()?;
    ensure_exists(tx, new.subject)?;
    let a = tx.insert(|id| Activity {
        id,
        version: crate::id::Version::NEW,
        kind: new.kind,
        subject: new.subject,
        title: new.title.trim().to_string(),
        notes: new.notes,
        owner: new.owner,
        due_at: new.due_at,
        duration_minutes: new.duration_minutes,
        attendees: new.attendees,
        reminders: new.reminders,
        recurrence: new.recurrence.map(|r| r.trim().to_string()),
        call: None,
        cancelled_at: None,
        cancel_reason: None,
        custom: new.custom,
        completed_at: None,
        outcome: None,
        created_at: now,
    })?;
    tx.emit(
        &DomainEvent::ActivityLogged {
            activity: a.id,
            subject: a.subject,
            kind: a.kind.as_str().into(),
        },
        now,
    )?;
    Ok(a)
}

/// Changes an opportunity inside a write transaction: `change` gets it with its pipeline
/// and returns the event to emit.
pub(crate) fn change_opportunity_in(
    tx: &mut dyn WriteTx,
    id: OpportunityId,
    now: DateTime<Utc>,
    change: impl FnOnce(&mut Opportunity, &Pipeline) -> Result<DomainEvent>,
) -> Result<Opportunity> {
    let mut o: Opportunity = tx.load(id)?;
    let pipeline: Pipeline = tx.load(o.pipeline)?;
    let event = change(&mut o, &pipeline)?;
    tx.update(&mut o)?;
    tx.emit(&event, now)?;
    Ok(o)
}

// The Crm facade end to end on a temporary SQLite file: leads to orders, the service desk
// with SLA due instants, marketing, automation, events, and persistence across opening.
process.env.CRM_NODE_CHECK_TAPE = '1' // every result checked against its JSON (tape.test.mjs)
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Crm, BusinessCalendar, priceDocument } = require('../index.js')

const NOW = new Date('2026-03-02T09:00:00Z')
const at = (iso) => new Date(iso)
const eur = (amount) => ({ amount, currency: 'EUR' })

// Records returned here are written to generated/samples.ts as typed constants, so that
// `tsc --noEmit` (scripts/test.sh, after this suite) checks index.d.ts against real output.
const samples = []
const sampleTypes = new Set()
const sample = (type, value) => {
  for (const name of type.match(/[A-Z]\w+/g)) sampleTypes.add(name)
  samples.push(`export const s${samples.length}: ${type} = ${JSON.stringify(value, null, 1)}\n`)
  return value
}
after(() => {
  const dir = new URL('./generated/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  const head = `import type { ${[...sampleTypes].sort().join(', ')} } from '../../index'\n\n`
  writeFileSync(new URL('samples.ts', dir), head + samples.join('\n'))
})

function tempCrm() {
  const dir = mkdtempSync(join(tmpdir(), 'crm-node-'))
  const path = join(dir, 'crm.db')
  return { path, crm: Crm.open(path, { region: 'DE' }), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

test('leads: capture, edit, qualify, convert into account, contact and opportunity', () => {
  const { path, crm, cleanup } = tempCrm()
  try {
    assert.equal(crm.defaultRegion, 'DE')
    const { lead, duplicates } = sample('Captured', crm.leads.capture(
      { values: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', company: 'Analytical Engines', phone: '030 1234567' } },
      NOW,
    ))
    assert.equal(lead.id, 1)
    assert.equal(lead.status, 'new')
    assert.equal(lead.data.firstName, 'Ada')
    assert.equal(lead.data.phone, '+49301234567')
    assert.equal(lead.createdAt, '2026-03-02T09:00:00Z')
    assert.deepEqual(duplicates, [])

    const again = crm.leads.capture({ values: { last_name: 'Lovelace', email: 'ADA@example.com' } }, '2026-03-02T10:00:00+01:00')
    assert.equal(again.duplicates.length, 1)
    assert.deepEqual(again.duplicates[0].record, { kind: 'lead', id: lead.id })
    assert.equal(again.duplicates[0].reason.reason, 'same_email')
    const merged = sample('MergedLead', crm.leads.merge(lead.id, again.lead.id, { takeFromMerged: [] }, NOW))
    assert.equal(merged.survivor.id, lead.id)
    assert.throws(() => crm.leads.get(again.lead.id), { code: 'not_found' })

    const current = crm.leads.get(lead.id)
    const edited = crm.leads.update(lead.id, current.version, { jobTitle: 'Countess' }, NOW)
    assert.equal(edited.data.lastName, current.data.lastName)
    assert.equal(edited.data.jobTitle, 'Countess')
    assert.equal(edited.version, current.version + 1)
    // a second editor who read the old version gets `conflict`, and nothing is written
    assert.throws(
      () => crm.leads.update(lead.id, current.version, { jobTitle: 'Engineer' }, NOW),
      (e) => e.code === 'conflict' && e.details.expected === current.version && e.details.actual === edited.version,
    )
    assert.equal(crm.leads.get(lead.id).data.jobTitle, 'Countess')

    crm.leads.startWorking(lead.id, NOW)
    const qualified = crm.leads.qualify(lead.id, NOW)
    assert.equal(qualified.status, 'qualified')
    assert.equal(qualified.qualifiedAt, '2026-03-02T09:00:00Z')

    const pipeline = sample('Pipeline', crm.sales.definePipeline('sales', null, NOW))
    assert.ok(pipeline.stages.length >= 3)
    const conversion = sample('Conversion', crm.leads.convert(
      lead.id,
      { opportunity: { pipeline: pipeline.id, amount: eur('12000.00'), expectedClose: '2026-06-30' } },
      NOW,
    ))
    assert.equal(conversion.accountCreated, true)
    assert.equal(conversion.account.name, 'Analytical Engines')
    assert.equal(conversion.contact.email, 'ada@example.com')
    const opp = conversion.opportunity
    assert.deepEqual(opp.amount, eur('12000.00'))
    assert.equal(crm.leads.get(lead.id).status, 'converted')

    crm.sales.logActivity({ kind: 'call', subject: { kind: 'opportunity', id: opp.id }, title: 'Discovery call', owner: 'rep', dueAt: '2026-03-01T10:00:00Z' }, NOW)
    assert.equal(sample('Activity[]', crm.sales.overdueActivities('rep', NOW)).length, 1)
    crm.leads.recordTouchpoint({ subject: { kind: 'contact', id: conversion.contact.id }, at: '2026-03-01T08:00:00Z', kind: { kind: 'web_visit', url: 'https://example.com/pricing' } }, NOW)
    assert.equal(sample('Touchpoint[]', crm.leads.touchpointsOf({ kind: 'contact', id: conversion.contact.id })).length, 1)

    sample('ExchangeRate', crm.sales.setExchangeRate('EUR', 'USD', '2026-01-01', '1.10', NOW))
    assert.deepEqual(crm.sales.convertMoney(eur('100.00'), 'USD', '2026-03-01'), { amount: '110.00', currency: 'USD' })
    assert.deepEqual(crm.sales.convertMoney({ amount: '110.00', currency: 'USD' }, 'EUR', '2026-03-01'), eur('100.00'))
    assert.throws(() => crm.sales.convertMoney(eur('1'), 'USD', '2025-12-31'), { code: 'missing_exchange_rate' })
    const forecast = sample('Forecast', crm.sales.forecast('EUR', 'quarter', '2026-03-02'))
    assert.deepEqual(forecast.totalPipeline, eur('12000.00'))
    const weighted = Number(forecast.totalWeighted.amount)
    assert.ok(weighted > 0 && weighted < 12000, `weighted ${weighted}`)
    const won = sample('Opportunity', crm.sales.win(opp.id, null, NOW))
    assert.equal(won.state, 'won')
    assert.equal(won.closedAt, '2026-03-02T09:00:00Z')

    const events = sample('EventEnvelope[]', crm.events.since(0, 1000))
    const edit = events.find((e) => e.eventType === 'RecordEdited')
    assert.deepEqual(edit.payload.changes, [{ field: 'job_title', old: current.data.jobTitle ?? null, new: 'Countess' }])
    assert.equal(edit.actor, 'system:host')
    assert.ok(events.some((e) => e.eventType === 'LeadConverted'))
    assert.deepEqual(events.map((e) => e.sequence), [...events.map((e) => e.sequence)].sort((a, b) => a - b))

    // persisted: a second handle on the same file sees everything
    const reopened = Crm.open(path)
    assert.equal(reopened.leads.get(lead.id).data.jobTitle, 'Countess')
    assert.equal(reopened.customers.accounts().length, 1)
  } finally {
    cleanup()
  }
})

test('CSV import reports every row, synchronously and off the JS thread', async () => {
  const { crm, cleanup } = tempCrm()
  try {
    const csv = 'First,Last,Email\nAda,Lovelace,ada@example.com\nGrace,Hopper,grace@example.com\nBad,Row,not-an-email\n'
    const mapping = { columns: [['First', 'first_name'], ['Last', 'last_name'], ['Email', 'email']], defaultRegion: 'DE' }
    const options = { batchLabel: 'fair.csv', batchSize: 1, duplicates: 'skip', maxReported: 100 }
    const report = sample('ImportReport', crm.leads.importCsv(csv, mapping, options, NOW))
    assert.equal(report.progress.imported, 2)
    assert.equal(report.progress.invalid, 1)
    assert.equal(report.errors[0].row, 3)
    assert.equal(report.errors[0].column, 'Email')

    const asyncReport = await crm.leads.importCsvAsync('First,Last,Email\nAlan,Turing,alan@example.com\n', mapping, { ...options, batchLabel: 'b.csv' }, NOW)
    assert.equal(asyncReport.progress.imported, 1)
    assert.equal(crm.leads.list().length, 3)
    await assert.rejects(crm.leads.importCsvAsync(csv, { ...mapping, defaultRegion: 'XX' }, options), { code: 'input' })
  } finally {
    cleanup()
  }
})

test('quotes: catalog, pricing, revision, acceptance and the sales order', () => {
  const crm = Crm.inMemory()
  const account = crm.customers.createAccount({ name: 'Acme' }, NOW)
  const buyer = crm.customers.createContact({ account: account.id, lastName: 'Buyer' }, NOW)
  crm.quotes.defineProduct({ sku: 'WIDGET', name: 'Widget', unit: 'piece', active: true }, NOW)
  const rounding = { mode: 'half_even', strategy: 'per_line' }
  const content = {
    account: account.id,
    contact: buyer.id,
    currency: 'EUR',
    validUntil: '2026-04-01',
    lines: [{ description: 'Widget', sku: 'WIDGET', quantity: '3', unitPrice: eur('19.99'), taxCodes: ['VAT'] }],
    taxes: [{ code: 'VAT', rate: '19' }],
    rounding,
  }
  const draft = sample('Quote', crm.quotes.create(content, NOW))
  assert.deepEqual(draft.priced.grandTotal, eur('71.36'))
  const revised = crm.quotes.revise(draft.id, { ...content, documentDiscount: '10' }, NOW)
  assert.equal(revised.revision, 2)
  crm.quotes.send(revised.id, NOW)
  crm.quotes.accept(revised.id, NOW)
  const order = sample('SalesOrder', crm.quotes.convertToOrder(revised.id, NOW))
  assert.equal(order.quote, revised.id)
  const payload = crm.quotes.salesOrderPayload(order.id)
  assert.equal(payload.format, 'crm-core/sales-order')
  // the sale is the buyer's purchase, and the order waits in the outbox for the ERP
  const [purchase] = crm.quotes.purchasesOfOrder(order.id)
  assert.deepEqual([purchase.contact, purchase.salesOrder, purchase.quantity], [buyer.id, order.id, '3'])
  const [delivery] = crm.outbox.take(10, 'erp', NOW)
  assert.equal(delivery.idempotencyKey, `sales_order:${order.id}`)
  assert.deepEqual(crm.outbox.take(10, 'erp', NOW), [], 'leased to the first worker')
  crm.outbox.succeed(delivery.id, { erpId: 'SO-1' }, NOW)
  assert.equal(crm.quotes.salesOrder(order.id).status, 'sent')
  crm.quotes.acknowledgeOrder(order.id, 'SO-1', NOW)
  const done = crm.quotes.fulfilOrder(order.id, [{ line: 0, quantity: '3' }], NOW)
  assert.equal(done.order.status, 'fulfilled')
  assert.throws(() => crm.quotes.cancelOrder(order.id, 'late', NOW), { code: 'illegal_transition' })
  // a deal priced from the catalog, with its budget and competitors
  crm.quotes.definePriceBook({ name: 'List', currency: 'EUR', entries: [{ sku: 'WIDGET', listPrice: '19.99', validFrom: '2026-01-01' }] }, NOW)
  const pipeline = crm.sales.definePipeline('Deals', null, NOW)
  const deal = crm.sales.openOpportunity({ name: 'Widgets', account: account.id, pipeline: pipeline.id, amount: eur('1.00'), expectedClose: '2026-06-30' }, NOW)
  const facts = crm.sales.updateOpportunity(deal.id, deal.version, { budget: eur('500.00'), competitors: [{ name: 'Globex' }] }, NOW)
  assert.deepEqual([facts.budget, facts.competitors[0].name], [eur('500.00'), 'Globex'])
  const pricedDeal = crm.sales.setLineItems(deal.id, [{ sku: 'WIDGET', quantity: '10', discount: '10' }], 'List', NOW)
  assert.deepEqual(pricedDeal.amount, eur('179.91'))
  // the account's timeline, newest first, in pages
  const first = crm.customers.timeline({ kind: 'account', id: account.id }, 2)
  assert.equal(first.entries.length, 2)
  const rest = crm.customers.timeline({ kind: 'account', id: account.id }, 50, first.next)
  const kinds = [...first.entries, ...rest.entries].map((e) => e.record.split(':')[0])
  assert.ok(['purchase', 'quote', 'sales_order'].every((k) => kinds.includes(k)), kinds.join())
  assert.equal(crm.quotes.revisions(draft.number).length, 2)
  assert.throws(() => crm.quotes.send(revised.id, NOW), { code: 'illegal_transition' })

  const priced = priceDocument([{ quantity: '3', unitPrice: eur('19.99'), taxCodes: ['VAT'] }], 'EUR', rounding, { taxes: [{ code: 'VAT', rate: '19' }] })
  assert.deepEqual(priced.grandTotal, eur('71.36'))
})

test('service desk: calendars, SLA due instants, alerts once, knowledge base', async () => {
  const crm = Crm.inMemory()
  const week = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }))
  const office = { timeZone: 'Europe/Berlin', intervals: week, holidays: ['2026-04-03'] }
  crm.service.defineCalendar('office', office, NOW)
  crm.service.defineSlaPolicy(
    { name: 'standard', metrics: [{ metric: 'first_response', targets: [{ priority: 'high', minutes: 240, calendar: 'office' }] }] },
    NOW,
  )
  const account = crm.customers.createAccount({ name: 'Acme' }, NOW)
  // Monday 16:00 in Berlin: one business hour left that day, three more on Tuesday from 09:00
  const opened = at('2026-03-02T15:00:00Z')
  const kase = sample('Case', crm.service.openCase({ subject: 'Printer on fire', channel: 'phone', category: 'incident', priority: 'high', account: account.id }, opened))
  assert.match(kase.number, /^CASE-2026-\d{6}$/)
  const sla = sample('CaseSla', crm.service.caseSla(kase.id, at('2026-03-03T08:00:00Z')))
  const first = sla.metrics.find((m) => m.metric === 'first_response')
  assert.equal(first.ongoing.dueAt, '2026-03-03T11:00:00Z')
  assert.equal(first.ongoing.targetSeconds, 240 * 60)

  const calendar = new BusinessCalendar(office)
  assert.equal(calendar.add(opened, 240), '2026-03-03T11:00:00Z')
  assert.equal(calendar.between(opened, at('2026-03-03T11:00:00Z')), 240)
  assert.equal(calendar.isWorking(at('2026-04-03T10:00:00Z')), false)

  const alerts = sample('RaisedAlert[]', await crm.service.checkSlasAsync(at('2026-03-03T12:00:00Z')))
  assert.equal(alerts.length, 1)
  assert.equal(crm.service.checkSlas(at('2026-03-03T12:30:00Z')).length, 0)
  assert.equal((await crm.service.slaReportAsync(at('2026-03-03T12:30:00Z'))).length, 1)

  const commented = crm.service.commentOnCase(kase.id, { author: 'agent', name: 'Bo', public: true, body: 'On our way', at: '2026-03-03T12:40:00Z' })
  assert.equal(commented.comments.length, 1)
  assert.equal(crm.service.setCaseStatus(kase.id, 'resolved', at('2026-03-03T13:00:00Z')).status, 'resolved')
  assert.equal(crm.service.caseByNumber(kase.number.toLowerCase()).id, kase.id)

  crm.service.writeArticle({ title: 'Printer fire safety', body: 'Unplug the printer and use a CO2 extinguisher.', tags: ['printer'] }, 'published', NOW)
  crm.service.writeArticle({ title: 'Paper jams', body: 'Open tray two.', tags: ['printer'] }, 'published', NOW)
  const hits = sample('SearchHit[]', crm.service.searchArticles('printer fire', 5, {}))
  assert.equal(hits[0].title, 'Printer fire safety')
})

test('marketing: campaigns, performance, attribution that adds up, automation once', async () => {
  const crm = Crm.inMemory()
  const campaign = sample('Campaign', crm.marketing.createCampaign(
    { code: 'SPRING', name: 'Spring', channel: 'paid_search', startsOn: '2026-03-01', endsOn: '2026-03-31', budget: eur('1000.00'), ads: [{ code: 'A1', cost: eur('0.00') }] },
    NOW,
  ))
  assert.equal(campaign.status, 'planned')
  crm.marketing.setCampaignStatus('SPRING', 'active', NOW)
  crm.marketing.recordAdStats('SPRING', 'A1', eur('350.00'), 15000, NOW)
  const { lead } = crm.leads.capture({ values: { last_name: 'Lovelace', email: 'ada@example.com', campaign: 'SPRING', ad: 'A1' } }, NOW)
  crm.leads.recordTouchpoint({ subject: { kind: 'lead', id: lead.id }, at: '2026-03-02T08:00:00Z', kind: { kind: 'ad_click' }, attribution: { campaign: 'SPRING', ad: 'A1' } }, NOW)
  const report = sample('MarketingReport', await crm.marketing.reportAsync('EUR', { from: '2026-03-01T00:00:00Z' }))
  const row = report.performance.find((r) => r.dimension === 'campaign' && r.key === 'SPRING')
  assert.equal(row.leads, 1)
  assert.equal(row.cost, '350.00')
  assert.equal(row.costPerLead, '350.00')
  const attribution = sample('AttributionReport', crm.marketing.attribution({ model: 'linear' }, 'EUR'))
  assert.equal(attribution.deals, 0)

  crm.marketing.defineSegment('germans', 'leads', { op: 'equals', field: 'email', value: 'ada@example.com' }, NOW)
  assert.equal(crm.marketing.segment('germans').members.length, 1)

  crm.marketing.defineAutomationRule('welcome', { on: 'event', eventType: 'LeadCaptured' }, [{ do: 'set_rating', rating: 'warm' }], true, NOW)
  crm.leads.capture({ values: { last_name: 'Hopper', email: 'grace@example.com' } }, NOW)
  const run = sample('AutomationRun', crm.marketing.runAutomation(1000, NOW))
  assert.ok(run.actions.length >= 1)
  assert.equal(crm.marketing.runAutomation(1000, NOW).actions.length, 0)
  const pending = crm.marketing.pendingActions()
  const applied = crm.marketing.applyAction(pending[0].id, NOW)
  assert.equal(applied.status, 'done')
})

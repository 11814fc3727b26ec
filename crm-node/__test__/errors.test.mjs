// Every kind of bad input gives a JS Error with crm-core's stable code, a message naming
// the bad value, and leaves the store as it was.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Crm, BusinessCalendar, priceDocument } = require('../index.js')

const NOW = '2026-03-02T09:00:00Z'
const eur = (amount) => ({ amount, currency: 'EUR' })

function withLead() {
  const crm = Crm.inMemory()
  const { lead } = crm.leads.capture({ values: { last_name: 'Lovelace', email: 'ada@example.com' } }, NOW)
  return { crm, lead }
}

function code(expected, pattern) {
  return (e) => {
    assert.ok(e instanceof Error, `an Error, got ${e}`)
    assert.equal(e.code, expected, e.message)
    if (pattern) assert.match(e.message, pattern)
    assert.equal(typeof e.details, 'object')
    return true
  }
}

test('wrong types are input errors naming the argument', () => {
  const { crm } = withLead()
  assert.throws(() => crm.leads.get('one'), code('input', /id/))
  assert.throws(() => crm.leads.get(1.5), code('input', /id/))
  assert.throws(() => crm.leads.get(-3), code('input', /id/))
  assert.throws(() => crm.leads.get(10n), code('input', /bigint/i))
  assert.throws(() => crm.leads.capture('Ada Lovelace'), code('input', /input/))
  assert.throws(() => crm.leads.capture({ values: { last_name: () => 'x' } }), code('input', /values\.last_name/))
  assert.throws(() => crm.leads.capture({ values: new Float64Array(2) }), code('input', /typed array/))
  const cyclic = { values: {} }
  cyclic.values.self = cyclic
  assert.throws(() => crm.leads.capture(cyclic), code('input', /nested/))
  assert.throws(() => Crm.open(42), code('input', /path/))
  assert.throws(() => Crm.inMemory({ region: 'DE', colour: 'blue' }), code('input', /colour/))
})

test('NaN and infinities are refused wherever a number goes', () => {
  const { crm, lead } = withLead()
  assert.throws(() => crm.leads.setScore(lead.id, NaN, null, NOW), code('input', /NaN/))
  assert.throws(() => crm.leads.setScore(lead.id, Infinity, null, NOW), code('input', /inf/i))
  assert.throws(() => crm.events.since(NaN), code('input', /afterSequence/))
  assert.equal(crm.leads.get(lead.id).score, undefined)
})

test('malformed money: numbers, bad decimals, unknown currencies, mixed currencies', () => {
  const crm = Crm.inMemory()
  const account = crm.customers.createAccount({ name: 'Acme' }, NOW)
  const pipeline = crm.sales.definePipeline('sales', null, NOW)
  const opp = (amount) => ({ name: 'Deal', account: account.id, pipeline: pipeline.id, amount, expectedClose: '2026-06-30' })
  assert.throws(() => crm.sales.openOpportunity(opp({ amount: 12.5, currency: 'EUR' }), NOW), code('input', /opportunity\.amount\.amount: expected a decimal as text .*, got the number 12.5/))
  assert.throws(() => crm.sales.openOpportunity(opp(eur('12,50')), NOW), code('invalid_value', /12,50/))
  assert.throws(() => crm.sales.openOpportunity(opp({ amount: '10', currency: 'EURO' }), NOW), code('input', /EURO/))
  assert.throws(() => crm.sales.setExchangeRate('EUR', 'USD', '2026-03-01', 1.08, NOW), code('input', /rate/))
  assert.throws(() => crm.sales.setExchangeRate('EUR', 'USD', '2026-03-01', 'abc', NOW), code('invalid_value', /abc/))
  const rounding = { mode: 'half_even', strategy: 'per_line' }
  assert.throws(
    () => priceDocument([{ quantity: '1', unitPrice: { amount: '5', currency: 'USD' } }], 'EUR', rounding),
    code('validation_failed', /lines\[0\]\.unit_price: is in USD, the document in EUR/),
  )
  const deal = crm.sales.openOpportunity(opp(eur('10.00')), NOW)
  assert.throws(() => crm.sales.win(deal.id, { amount: '10', currency: 'USD' }, NOW), code('currency_mismatch', /EUR and USD/))
  assert.equal(crm.sales.opportunity(deal.id).state, 'open')
  assert.equal(crm.sales.opportunities().length, 1)
})

test('malformed days and instants', () => {
  const { crm, lead } = withLead()
  assert.throws(() => crm.leads.qualify(lead.id, 'yesterday'), code('invalid_value', /yesterday/))
  assert.throws(() => crm.leads.qualify(lead.id, '2026-03-02 09:00'), code('invalid_value', /2026-03-02 09:00/))
  assert.throws(() => crm.leads.qualify(lead.id, new Date('not a date')), code('input', /invalid Date/))
  assert.throws(() => crm.leads.qualify(lead.id, 1772442000000), code('invalid_value', /Date or an ISO-8601/))
  assert.throws(() => crm.sales.forecast('EUR', 'quarter', '2026-13-45'), code('invalid_value', /2026-13-45/))
  assert.throws(() => crm.sales.forecast('EUR', 'fortnight', '2026-03-01'), code('invalid_value', /fortnight/))
  const week = [{ weekday: 'Mon', start: '09:00', end: '17:00' }]
  assert.throws(() => new BusinessCalendar({ timeZone: 'Mars/Olympus', intervals: week }), code('input', /Mars/))
  assert.throws(() => new BusinessCalendar({ timeZone: 'Europe/Berlin', intervals: [] }), (e) => e.code !== undefined && e.code !== 'input')
  assert.equal(crm.leads.get(lead.id).status, 'new')
})

test('stale versions, missing records and refused transitions', () => {
  const { crm, lead } = withLead()
  const edited = crm.leads.update(lead.id, lead.version, { jobTitle: 'CTO' }, NOW)
  assert.deepEqual({ ...edited.data, jobTitle: undefined }, { ...lead.data, jobTitle: undefined })
  assert.throws(
    () => crm.leads.update(lead.id, lead.version, { jobTitle: 'CEO' }, NOW),
    code('conflict', new RegExp(`expected version ${lead.version}, found ${edited.version}`)),
  )
  assert.throws(() => crm.leads.update(lead.id, edited.version, { email: null, phone: null }, NOW), code('validation_failed'))
  assert.throws(() => crm.leads.update(lead.id, edited.version, { jobTitel: 'CEO' }, NOW), code('input', /patch\.jobTitel/))
  assert.throws(() => crm.leads.get(999), code('not_found', /999/))
  assert.throws(() => crm.service.caseByNumber('CASE-1999-000001'), code('not_found'))
  crm.leads.qualify(lead.id, NOW)
  assert.throws(() => crm.leads.qualify(lead.id, NOW), code('illegal_transition', /qualified to qualified/))
  assert.throws(() => crm.leads.capture({ values: { email: 'nope' } }, NOW), (e) => {
    assert.equal(e.code, 'validation_failed')
    assert.deepEqual(e.details.problems.map((p) => p.field).sort(), ['email', 'last_name'])
    return true
  })
  assert.equal(crm.leads.get(lead.id).data.jobTitle, 'CTO')
  assert.equal(crm.leads.list().length, 1)
})

test('promises reject with the same codes', async () => {
  const { crm } = withLead()
  await assert.rejects(crm.sales.forecastAsync('EUR', 'quarter', 'soon'), code('invalid_value', /soon/))
  await assert.rejects(crm.marketing.reportAsync('EURO'), code('input', /EURO/))
  await assert.rejects(crm.service.checkSlasAsync('later'), code('invalid_value', /later/))
})

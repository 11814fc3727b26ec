// Typed custom fields from JS: native values in and out, names kept as defined.
import assert from 'node:assert/strict'
import test from 'node:test'

import { Crm } from '../index.js'

const NOW = new Date('2026-12-06T09:00:00Z')

test('custom values are typed, checked and follow a rename', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  crm.customFields.define({ kind: 'account', name: 'renewal_date',
    spec: { label: 'Renewal', fieldType: { type: 'date' }, required: true, default: '2027-01-01' } }, NOW)
  crm.customFields.define({ kind: 'account', name: 'is_partner',
    spec: { label: 'Partner', fieldType: { type: 'boolean' } } }, NOW)
  const account = crm.customers.createAccount({ name: 'Engines', custom: { is_partner: 'yes' } }, NOW)
  assert.deepEqual(account.custom, { is_partner: true, renewal_date: '2027-01-01' })
  assert.throws(() => crm.customers.updateAccount(account.id, account.version,
    { custom: { renewal_date: null, is_partner: 'perhaps' } }, NOW),
  (e) => e.code === 'validation_failed' && /custom\.renewal_date/.test(e.message) && /custom\.is_partner/.test(e.message))
  const field = crm.customFields.get('account', 'is_partner')
  assert.equal(field.spec.fieldType.type, 'boolean')
  const change = crm.customFields.rename('account', 'is_partner', field.version, 'partner', NOW)
  assert.equal(change.recordsChanged, 1)
  assert.deepEqual(crm.customers.account(account.id).custom, { partner: true, renewal_date: '2027-01-01' })
  assert.throws(() => crm.customFields.define({ kind: 'account', name: 'x',
    spec: { label: 'X', fieldType: { type: 'picklist', values: [] } } }, NOW), { code: 'invalid_value' })
  assert.deepEqual(crm.customFields.list('account').map((f) => f.name), ['partner', 'renewal_date'])
})

test('search finds records by their words, with the field that matched', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const account = crm.customers.createAccount({ name: 'Müller Hydraulik GmbH', industry: 'Hydraulics' }, NOW)
  const { lead } = crm.leads.capture({ values: { last_name: 'Schmidt', company: 'Hydraulik Süd', email: 'k@sued.example' } }, NOW)
  const hits = crm.records.search({ text: 'hydraulik gmbh' })
  assert.deepEqual(hits.map((h) => h.record), [`account:${account.id}`, `lead:${lead.id}`])
  assert.equal(hits[0].field, 'name')
  assert.equal(crm.records.search({ text: 'muller', kinds: ['lead'] }).length, 0)
  assert.throws(() => crm.records.search({ text: 'x', kinds: ['touchpoint'] }), { code: 'invalid_value' })
})

test('a person is exported then erased', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const { lead } = crm.leads.capture({ values: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@engines.example' } }, NOW)
  const doc = crm.privacy.exportPerson({ by: 'lead', id: lead.id }, NOW)
  assert.deepEqual(Object.keys(doc.records), ['lead'])
  const erasure = crm.privacy.erasePerson({ by: 'email', address: 'ada@engines.example' }, NOW)
  assert.deepEqual(erasure.anonymised, [`lead:${lead.id}`])
  assert.ok(!JSON.stringify(crm.events.since(0, 100)).includes('Lovelace'))
  assert.throws(() => crm.privacy.exportPerson({ by: 'lead', id: 999 }, NOW), { code: 'not_found' })
})

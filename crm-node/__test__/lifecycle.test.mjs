// Record lifecycle from JS: patches, actors and history, archive, deletes.
import assert from 'node:assert/strict'
import test from 'node:test'

import { Crm } from '../index.js'

const NOW = new Date('2026-12-06T09:00:00Z')

test('a patch changes only what it names, and history says who', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const alice = crm.asActor('user:alice')
  assert.equal(alice.actor, 'user:alice')
  assert.equal(crm.actor, 'system:host')
  const { lead } = crm.leads.capture({ values: { first_name: 'Ada', last_name: 'Lovelace', company: 'Engines',
    job_title: 'Analyst', email: 'ada@example.com' } }, NOW)
  const edited = alice.leads.update(lead.id, lead.version, { jobTitle: 'CTO', company: null }, NOW)
  assert.equal(edited.data.firstName, 'Ada')
  assert.equal(edited.data.company, undefined)
  assert.equal(edited.data.jobTitle, 'CTO')
  assert.throws(() => crm.leads.update(lead.id, edited.version, { jobTitel: 'CEO' }, NOW),
    (e) => e.code === 'input' && /patch\.jobTitel/.test(e.message))
  assert.throws(() => crm.leads.update(lead.id, edited.version, { email: null }, NOW), { code: 'validation_failed' })
  const history = crm.records.history(`lead:${lead.id}`)
  assert.deepEqual(history.map((h) => [h.event, h.actor]), [['LeadCaptured', 'system:host'], ['RecordEdited', 'user:alice']])
  assert.deepEqual(history[1].changes, [
    { field: 'company', old: 'Engines', new: null },
    { field: 'job_title', old: 'Analyst', new: 'CTO' },
  ])
  assert.throws(() => crm.asActor('alice'), { code: 'invalid_value' })
})

test('archived records leave listings; deletes respect dependants', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const { lead } = crm.leads.capture({ values: { last_name: 'Hopper', email: 'grace@example.com' } }, NOW)
  const version = crm.records.archive(`lead:${lead.id}`, lead.version, NOW)
  assert.equal(version, lead.version + 1)
  assert.deepEqual(crm.leads.list(), [])
  assert.equal(crm.leads.get(lead.id).data.lastName, 'Hopper')
  crm.records.restore(`lead:${lead.id}`, version, NOW)
  assert.equal(crm.leads.list().length, 1)

  const account = crm.customers.createAccount({ name: 'Engines' }, NOW)
  const contact = crm.customers.createContact({ account: account.id, lastName: 'Babbage' }, NOW)
  assert.throws(() => crm.records.delete(`account:${account.id}`, account.version, null, NOW),
    (e) => e.code === 'in_use' && e.details.dependants[0] === `contact:${contact.id}`)
  const done = crm.records.delete(`account:${account.id}`, account.version, { mode: 'cascade' }, NOW)
  assert.deepEqual(done.deleted, [`contact:${contact.id}`, `account:${account.id}`])
  assert.throws(() => crm.customers.contact(contact.id), { code: 'not_found' })
})

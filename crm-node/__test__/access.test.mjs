// Access control from JS: set-up through crm.access, what a user sees through
// crm.asUser, refusals as errors with code 'forbidden', hidden fields, the audit.
import assert from 'node:assert/strict'
import test from 'node:test'

import { Crm } from '../index.js'

const NOW = new Date('2026-12-07T09:00:00Z')

test('a user sees what is theirs, shared with them or below them', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const access = crm.access
  access.setPermissionSet({ name: 'sales', objects: [{ kind: 'lead', read: true, create: true, edit: true }] }, NOW)
  access.setPermissionSet({ name: 'audit', system: ['view_audit'] }, NOW)
  access.setRole({ name: 'manager', permissionSets: ['sales', 'audit'] }, NOW)
  access.setRole({
    name: 'rep', parent: 'manager', permissionSets: ['sales'],
    fields: [{ kind: 'lead', field: 'data.description', access: 'hidden' }],
  }, NOW)
  for (const [login, role] of [['mia', 'manager'], ['rep1', 'rep'], ['rep2', 'rep']]) {
    access.setUser({ login, role }, NOW)
  }
  access.setTeam({ name: 'inside', members: ['rep2'] }, NOW)
  access.setSharingRule({
    name: 'german', kind: 'lead',
    filter: [{ field: 'data.address.country', op: 'eq', value: 'DE' }],
    grantee: { type: 'team', name: 'inside' }, access: 'read',
  }, NOW)
  const lead = (name, country, owner) => crm.leads.capture({
    values: { last_name: name, email: `${name.toLowerCase()}@example.com`, country, owner, description: 'call in March' },
  }, NOW).lead.id
  const ada = lead('Ada', 'DE', 'rep1')
  const grace = lead('Grace', 'US', 'rep1')
  const alan = lead('Alan', 'GB', 'rep2')

  const rep1 = crm.asUser('rep1')
  const rep2 = crm.asUser('rep2')
  const mia = crm.asUser('mia')
  assert.equal(rep1.user, 'rep1')
  assert.equal(crm.user, null)
  assert.deepEqual(rep1.leads.list().map((l) => l.id), [ada, grace])
  assert.deepEqual(rep2.leads.list().map((l) => l.id), [ada, alan])
  assert.deepEqual(mia.leads.list().map((l) => l.id), [ada, grace, alan])
  assert.equal(rep1.leads.get(ada).data.description ?? null, null)
  assert.equal(mia.leads.get(ada).data.description, 'call in March')
  assert.equal(rep2.access.accessTo(`lead:${ada}`), 'read')
  assert.throws(() => rep2.leads.startWorking(ada, NOW), (e) => e.code === 'forbidden' && e.details.operation === 'edit')
  assert.throws(() => rep1.leads.get(alan), (e) => e.code === 'forbidden')
  const audited = (c) => c.events.since(0, 1000).filter((e) => e.eventType === 'AccessRefused').length
  assert.equal(audited(mia), 2)
  assert.equal(audited(rep1), 0)
  assert.throws(() => crm.asUser('nobody'), (e) => e.code === 'forbidden')
})

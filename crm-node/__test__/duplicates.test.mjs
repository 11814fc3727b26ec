// Duplicate rules per kind and the review list, from JS.
import assert from 'node:assert/strict'
import test from 'node:test'

import { Crm } from '../index.js'

const NOW = new Date('2026-12-06T09:00:00Z')

const capture = (crm, firstName, lastName, email) =>
  crm.leads.capture({ values: { first_name: firstName, last_name: lastName, company: 'Analytical Engines', email } }, NOW).lead

test('possible duplicates are reviewed; "not a duplicate" is remembered', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  assert.equal(crm.duplicates.rules('lead').name.nameThreshold, 0.92)
  const a = capture(crm, 'John', 'Smith', 'john@engines.example')
  const b = capture(crm, 'John', 'Smith', 'j.smith@engines.example')
  const page = crm.duplicates.reviews('open')
  assert.equal(page.items.length, 1)
  const review = crm.duplicates.review(page.items[0].id)
  assert.deepEqual([review.first, review.second, review.possible], [`lead:${a.id}`, `lead:${b.id}`, true])
  assert.throws(() => crm.duplicates.resolve(review.id, review.version + 1, { decision: 'not_duplicate' }, NOW),
    { code: 'conflict' })
  const decided = crm.duplicates.resolve(review.id, review.version, { decision: 'not_duplicate' }, NOW)
  assert.equal(decided.status, 'not_duplicate')
  assert.deepEqual(crm.leads.duplicatesOf(b.id), [])
  crm.duplicates.setRules('lead', { name: { exact: true } }, NOW)
  const c = capture(crm, 'John', 'Smyth', 'smyth@engines.example')
  assert.deepEqual(crm.leads.duplicatesOf(c.id), [])
  assert.throws(() => crm.duplicates.setRules('account', {}, NOW), { code: 'invalid_value' })
  assert.throws(() => crm.duplicates.setRules('lead', { emails: false }, NOW), { code: 'input' })
})

test('a review resolved by merging the pair', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const a = capture(crm, 'Grace', 'Hopper', 'grace@navy.example')
  const b = capture(crm, 'Grace', 'Hoper', 'ghopper@navy.example')
  const review = crm.duplicates.review(crm.duplicates.reviews('open').items[0].id)
  const merged = crm.duplicates.resolve(review.id, review.version,
    { decision: 'merge', survivor: `lead:${a.id}`, choices: { takeFromMerged: ['data.email'] } }, NOW)
  assert.equal(merged.status, 'merged')
  assert.equal(crm.leads.get(a.id).data.email, 'ghopper@navy.example')
  assert.throws(() => crm.leads.get(b.id), { code: 'not_found' })
})

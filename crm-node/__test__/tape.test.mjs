// Results cross as a tape rebuilt by decoders generated from crm-core's model (src/tape.rs,
// src/decoders.rs). With CRM_NODE_CHECK_TAPE=1 every result is also encoded as JSON and the
// two must agree (the parity and facade suites run that way too); these tests cover what
// the scenario's data does not: text outside ASCII, user keys that JS treats specially,
// and that the check itself fails when the two disagree.
process.env.CRM_NODE_CHECK_TAPE = '1'

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Crm } = require('../index.js')

const NOW = new Date('2026-03-02T09:00:00Z')

test('text outside ASCII keeps every character (slices counted in UTF-16 units)', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const names = [['Zoë', 'Ünal'], ['😀', 'Smile 😀 face'], ['東京', '大阪'], ['Ada', 'Lovelace']]
  names.forEach(([first, last], i) => {
    crm.leads.capture({ values: { first_name: first, last_name: last, email: `lead${i}@example.com` } }, NOW)
  })
  const leads = crm.leads.list()
  assert.deepEqual(leads.map((l) => [l.data.firstName, l.data.lastName]), names)
  assert.ok(Object.getOwnPropertyDescriptor(globalThis, '__crmCoreTapeDecoders'), 'the decoders are installed')
  assert.ok(!Object.keys(globalThis).includes('__crmCoreTapeDecoders'), 'and not enumerable')
})

test('user keys stay own data properties, __proto__ included', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const { lead } = crm.leads.capture(
    { values: { last_name: 'Keys', email: 'keys@example.com', 'custom:__proto__': 'polluted?', 'custom:constructor': 'c', 'custom:plain': 'p' } },
    NOW,
  )
  const custom = crm.leads.get(lead.id).data.custom
  assert.equal(Object.getPrototypeOf(custom), Object.prototype)
  assert.deepEqual(Object.keys(custom).sort(), ['__proto__', 'constructor', 'plain'])
  assert.equal(Object.getOwnPropertyDescriptor(custom, '__proto__').value, 'polluted?')
  assert.equal({}.polluted, undefined)
})

test('the check fails a call whose tape and JSON disagree', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  crm.leads.capture({ values: { last_name: 'Checked', email: 'checked@example.com' } }, NOW)
  const decoders = globalThis.__crmCoreTapeDecoders
  const same = decoders.same
  decoders.same = () => false
  try {
    assert.throws(() => crm.leads.list(), (e) => e.code === 'internal' && /tape decoded to another value/.test(e.message))
  } finally {
    decoders.same = same
  }
  assert.equal(crm.leads.list().length, 1)
})

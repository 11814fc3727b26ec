// The PostgreSQL store from Node: `Crm.open` with a `postgresql://` URL, two handles on one
// database as two app servers would be, and events pushed from one to the other
// (`crm.events.waitForAsync`).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { postgresUrl } from './postgres_url.mjs'

const { Crm } = createRequire(import.meta.url)('../index.js')

const lead = (crm, name) =>
  crm.leads.capture({ values: { last_name: name, email: `${name.toLowerCase()}@example.com` } }).lead.id

test('two servers share one database; a stale write is a conflict', (t) => {
  const url = postgresUrl(t)
  if (!url) return
  const a = Crm.open(url)
  const b = Crm.open(url)
  const id = lead(a, 'Hopper')
  const read = b.leads.get(id)
  assert.equal(read.data.lastName, 'Hopper')
  a.leads.update(id, read.version, { company: 'Navy' })
  assert.throws(() => b.leads.update(id, read.version, { company: 'Army' }), (e) => e.code === 'conflict')
  assert.equal(a.leads.get(id).data.company, 'Navy')
})

test('a waiting server is woken by another server\'s commit', async (t) => {
  const url = postgresUrl(t)
  if (!url) return
  const a = Crm.open(url)
  const b = Crm.open(url)
  lead(a, 'First')
  const last = a.events.since(0, 1000).at(-1).sequence
  assert.deepEqual(b.events.waitFor(last, 10, 100), [])
  const waiting = b.events.waitForAsync(last, 10, 30000)
  setTimeout(() => lead(a, 'Second'), 300)
  const got = await waiting
  assert.equal(got[0].sequence, last + 1)
  assert.equal(got[0].eventType, 'LeadCaptured')
})

test('a URL that does not parse is an invalid value, its password left out', () => {
  assert.throws(() => Crm.open('postgresql://crm:s3cret@db:notaport/crm'), (e) => {
    assert.equal(e.code, 'invalid_value')
    assert.ok(!e.message.includes('s3cret'), e.message)
    return true
  })
})

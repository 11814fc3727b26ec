// Exports of any record kind from JS: CSV, JSON lines, Parquet.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'node:test'

import { Crm } from '../index.js'

const NOW = new Date('2026-12-06T09:00:00Z')

test('records export as CSV and JSON lines, off the event loop', async () => {
  const crm = Crm.inMemory({ region: 'DE' })
  crm.customers.createAccount({ name: 'Analytical Engines', address: { city: 'London' }, custom: { tier: 'gold' } }, NOW)
  crm.customers.createAccount({ name: 'Babbage, Sons' }, NOW)
  const dir = mkdtempSync(join(tmpdir(), 'crm-export-'))
  const report = await crm.records.exportAsync('account', join(dir, 'a.csv'), { columns: ['name', 'address.city'] })
  assert.equal(report.records, 2)
  assert.deepEqual(readFileSync(join(dir, 'a.csv'), 'utf8').trim().split('\n'),
    ['name,address.city', 'Analytical Engines,London', '"Babbage, Sons",'])
  crm.records.export('account', join(dir, 'a.jsonl'), { format: 'json_lines', columns: ['custom.tier'] })
  assert.deepEqual(readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)),
    [{ 'custom.tier': 'gold' }, { 'custom.tier': null }])
  assert.throws(() => crm.records.export('account', join(dir, 'x'), { delimiter: 'ab' }), { code: 'invalid_value' })
})

test('a Parquet export is a Parquet file', () => {
  const crm = Crm.inMemory({ region: 'DE' })
  crm.customers.createAccount({ name: 'Analytical Engines' }, NOW)
  const path = join(mkdtempSync(join(tmpdir(), 'crm-export-')), 'a.parquet')
  const report = crm.records.export('account', path, { format: 'parquet' })
  assert.equal(report.records, 1)
  const bytes = readFileSync(path)
  // a Parquet file starts and ends with its magic number
  assert.equal(bytes.subarray(0, 4).toString(), 'PAR1')
  assert.equal(bytes.subarray(bytes.length - 4).toString(), 'PAR1')
})

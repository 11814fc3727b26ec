// Exports of any record kind from JS: CSV, JSON lines, Parquet.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
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

test('records import: encodings, links by natural key, upserts, every problem', async () => {
  const crm = Crm.inMemory({ region: 'DE' })
  crm.customers.createAccount({ name: 'Acme' }, NOW)
  const dir = mkdtempSync(join(tmpdir(), 'crm-import-'))
  const path = join(dir, 'contacts.csv')
  // UTF-16 with a byte-order mark, tab-separated, as spreadsheets save "Unicode text"
  const text = 'account@name\tlast_name\temail\texternal_id\nAcme\tNg\tng@acme.example\tC-1\nAcme\tOh\tnot-an-email\tC-2\n'
  writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
  const report = crm.records.importFile('contact', path, { externalSystem: 'erp' }, NOW)
  assert.equal(report.encoding, 'utf-16le')
  assert.equal(report.delimiter, '\t')
  assert.equal(report.created, 1)
  assert.equal(report.refused, 1)
  assert.deepEqual(report.problems.map((p) => [p.row, p.column, p.code, p.leftOut]), [[2, 'email', 'invalid_value', false]])
  const again = await crm.records.importFileAsync('contact', path, { externalSystem: 'erp', lenient: true })
  assert.deepEqual([again.created, again.updated, again.refused], [1, 1, 0])
  assert.equal(crm.customers.contacts().length, 2)
  assert.throws(() => crm.records.importFile('contact', path, { encoding: 'klingon' }), { code: 'invalid_value' })
})

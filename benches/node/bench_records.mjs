// Reading stored records into Node objects: 100k leads listed from a SQLite file by
// `crm.leads.list()` (read, decoded, checked and handed over), against the floor of any
// API that hands JSON-shaped records to JS: V8's own JSON.parse of the same records'
// JSON text, measured in the same run. Build the addon in release mode first:
//   (cd crm-node && npx napi build --platform --release) && node benches/node/bench_records.mjs
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const { Crm } = require('../../crm-node/index.js')

const ROWS = Number(process.env.ROWS ?? 100_000)
const REPEATS = 5

const dir = mkdtempSync(join(tmpdir(), 'crm-bench-'))
try {
  const crm = Crm.open(join(dir, 'crm.db'), { region: 'DE' })
  const lines = ['First,Last,Email,Company,Phone']
  for (let i = 0; i < ROWS; i++) {
    lines.push(`Lead${i},Person${i},lead${i}@example${i % 997}.com,Company ${i % 5000},030 ${1000000 + i}`)
  }
  const mapping = {
    columns: [['First', 'first_name'], ['Last', 'last_name'], ['Email', 'email'], ['Company', 'company'], ['Phone', 'phone']],
    defaultRegion: 'DE',
  }
  const t0 = performance.now()
  const report = await crm.leads.importCsvAsync(lines.join('\n') + '\n', mapping, { batchLabel: 'bench', batchSize: 5000, duplicates: 'keep', maxReported: 0 })
  console.log(`imported ${report.progress.imported} leads in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  const best = (f) => {
    let min = Infinity
    let out
    for (let r = 0; r < REPEATS; r++) {
      const t = performance.now()
      out = f()
      min = Math.min(min, performance.now() - t)
    }
    return [min, out]
  }
  const [listMs, leads] = best(() => crm.leads.list())
  const text = JSON.stringify(leads)
  const [parseMs] = best(() => JSON.parse(text))
  const [eventsMs, events] = best(() => crm.events.since(0, ROWS * 2))
  const rate = (n, ms) => `${((n / ms) * 1000 / 1000).toFixed(0)} k records/s`
  console.log(`crm.leads.list(): ${leads.length} leads in ${listMs.toFixed(0)} ms = ${rate(leads.length, listMs)} (goal ≥ 300 k/s)`)
  console.log(`JSON.parse of the same leads (${(text.length / 1e6).toFixed(1)} MB): ${parseMs.toFixed(0)} ms = ${rate(leads.length, parseMs)}`)
  console.log(`list / JSON.parse alone: ${(listMs / parseMs).toFixed(2)}x the time`)
  console.log(`crm.events.since(): ${events.length} events in ${eventsMs.toFixed(0)} ms = ${rate(events.length, eventsMs)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}

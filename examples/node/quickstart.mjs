// crm-core from Node: capture and convert a lead, quote and order, an SLA due instant, a
// campaign report, and bulk lead scoring on a Float64Array. Run after building the addon:
//   (cd crm-node && npm install && npx napi build --platform --release)
//   node examples/node/quickstart.mjs
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const { Crm, Job, ScoringModel } = require('../../crm-node/index.js')

const crm = Crm.open(join(mkdtempSync(join(tmpdir(), 'crm-')), 'crm.db'), { region: 'DE' })
const now = new Date('2026-03-02T09:00:00Z')
const eur = (amount) => ({ amount, currency: 'EUR' }) // money is always a decimal string

// 1. A lead comes in, is worked, qualified and converted into a deal.
const { lead } = crm.leads.capture(
  { values: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', company: 'Analytical Engines', phone: '030 1234567' } },
  now,
)
console.log(`lead #${lead.id}: ${lead.data.firstName} ${lead.data.lastName}, phone ${lead.data.phone}`)
crm.leads.startWorking(lead.id, now)
crm.leads.qualify(lead.id, now)
const pipeline = crm.sales.definePipeline('sales', null, now)
const { account, opportunity } = crm.leads.convert(
  lead.id,
  { opportunity: { pipeline: pipeline.id, amount: eur('12000.00'), expectedClose: '2026-06-30' } },
  now,
)
console.log(`converted: account "${account.name}", opportunity #${opportunity.id} at stage ${opportunity.stage}`)

// 2. Someone else edited the lead meanwhile? Saving on a stale version is refused.
try {
  crm.leads.update(lead.id, lead.version, { ...lead.data, jobTitle: 'Countess' }, now)
} catch (e) {
  console.log(`stale edit refused: ${e.code}`)
  assert.equal(e.code, 'conflict')
}

// 3. A quote, accepted, becomes a sales order; totals are exact.
const quote = crm.quotes.create(
  {
    account: account.id,
    opportunity: opportunity.id,
    currency: 'EUR',
    validUntil: '2026-04-01',
    lines: [{ description: 'Difference engine', quantity: '2', unitPrice: eur('4999.99'), taxCodes: ['VAT'] }],
    taxes: [{ code: 'VAT', rate: '19' }],
    rounding: { mode: 'half_even', strategy: 'per_line' },
  },
  now,
)
crm.quotes.send(quote.id, now)
crm.quotes.accept(quote.id, now)
const order = crm.quotes.convertToOrder(quote.id, now)
console.log(`order #${order.id}: grand total ${quote.priced.grandTotal.amount} ${quote.priced.grandTotal.currency}`)
assert.equal(quote.priced.grandTotal.amount, '11899.98')

// 4. A support case with a first-response SLA in Berlin business hours.
const week = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }))
crm.service.defineCalendar('office', { timeZone: 'Europe/Berlin', intervals: week }, now)
crm.service.defineSlaPolicy({ name: 'standard', metrics: [{ metric: 'first_response', targets: [{ priority: 'high', minutes: 240, calendar: 'office' }] }] }, now)
const kase = crm.service.openCase({ subject: 'Engine jammed', channel: 'phone', category: 'incident', priority: 'high', account: account.id }, '2026-03-02T15:00:00Z')
const due = crm.service.caseSla(kase.id, '2026-03-02T15:00:00Z').metrics[0].ongoing.dueAt
console.log(`case ${kase.number}: first response due ${due}`)
assert.equal(due, '2026-03-03T11:00:00Z')

// 5. Bulk scoring: 100 000 leads × 3 features, read in place from a Float64Array.
const model = ScoringModel.fromJson(JSON.stringify({
  format_version: 1,
  features: { features: ['visits', 'emails_opened', 'fit'].map((name) => ({ feature: 'column', name })) },
  model: { kind: 'logistic', coef: [0.4, 0.25, 1.5], intercept: -3, report: { iterations: 0, objective: 0, gradient_norm: 0 } },
  thresholds: { hot: 0.7, warm: 0.4 },
}))
const rows = 100_000
const x = new Float64Array(rows * 3).map((_, i) => ((i * 7919) % 7) / 2)
const t = performance.now()
const p = model.score(x, 3)
console.log(`scored ${rows} leads in ${(performance.now() - t).toFixed(1)} ms; first: ${p[0].toFixed(4)} (${model.rate(p[0])})`)
const contributions = model.explain(x, 3, 1)
console.log(`why row 1 scores ${p[1].toFixed(4)}: ${model.columnNames.map((c, i) => `${c} ${contributions[i].toFixed(2)}`).join(', ')}`)

// 6. A long import off the JS thread, with a Job: progress while it runs, cancel() to stop
//    it at its next batch (the Promise rejects with code `cancelled`; batches before stay).
const csvRows = ['First,Last,Email']
for (let i = 0; i < 5_000; i++) csvRows.push(`Lead${i},Person${i},lead${i}@example${i % 97}.com`)
const job = new Job()
const importing = crm.leads.importCsvAsync(
  csvRows.join('\n') + '\n',
  { columns: [['First', 'first_name'], ['Last', 'last_name'], ['Email', 'email']], defaultRegion: 'DE' },
  { batchLabel: 'quickstart.csv', batchSize: 1000 },
  now,
  job,
)
const report = await importing
console.log(`imported ${report.progress.imported} leads; the job's last checkpoint: ${job.progress.done} rows`)

// A Job on a Promise variant: progress while it runs, cancellation at the next checkpoint
// (the Promise rejects with code `cancelled`; batches committed before stay).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Crm, Job } = require('../index.js')

const NOW = new Date('2026-03-02T09:00:00Z')
const mapping = { columns: [['First', 'first_name'], ['Last', 'last_name'], ['Email', 'email']], defaultRegion: 'DE' }
const csv = (rows) => {
  const lines = ['First,Last,Email']
  for (let i = 0; i < rows; i++) lines.push(`Lead${i},Person${i},lead${i}@example${i % 97}.com`)
  return lines.join('\n') + '\n'
}
const options = (batchSize) => ({ batchLabel: 'jobs', batchSize, duplicates: 'keep', maxReported: 0 })

test('a cancelled job stops the import at its next batch; the batches before stay', async () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const job = new Job()
  const running = crm.leads.importCsvAsync(csv(60_000), mapping, options(500), NOW, job)
  // cancel as soon as the first batches are in (as a user pressing cancel would)
  while (job.progress.done === 0) await new Promise((r) => setTimeout(r, 1))
  job.cancel()
  assert.equal(job.cancelled, true)
  await assert.rejects(running, (e) => {
    assert.equal(e.code, 'cancelled')
    assert.ok(e.details.done > 0 && e.details.done < 60_000, `stopped at ${e.details.done}`)
    assert.equal(e.details.done % 500, 0, 'at a batch boundary')
    assert.equal(crm.leads.list().length, e.details.done, 'every committed batch stays')
    return true
  })
})

test('progress after a finished run, and a job cancelled before it starts', async () => {
  const crm = Crm.inMemory({ region: 'DE' })
  const job = new Job()
  assert.equal(job.progress.done, 0)
  assert.equal(job.progress.total ?? null, null, 'a CSV stream has no known total')
  const report = await crm.leads.importCsvAsync(csv(1_200), mapping, options(500), NOW, job)
  assert.equal(report.progress.imported, 1_200)
  assert.equal(job.progress.done, 1_000, 'the last checkpoint is after the second batch')

  const early = new Job()
  early.cancel()
  await assert.rejects(crm.leads.importCsvAsync(csv(10), mapping, options(5), NOW, early), (e) => e.code === 'cancelled' && e.details.done === 0)
  assert.equal(crm.leads.list().length, 1_200, 'nothing of the cancelled import was written')
})

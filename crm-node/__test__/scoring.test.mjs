// Model files scoring Float64Arrays: the shared test vectors (tests/vectors, written by
// crm-core and read by every binding) must come out bit for bit.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { ScoringModel, Crm } = require('../index.js')

const vectors = JSON.parse(readFileSync(new URL('../../tests/vectors/logistic_scores.json', import.meta.url), 'utf8'))
const x = Float64Array.from(vectors.x)

test('the shared vectors score bit for bit, on one thread and on two', () => {
  const model = ScoringModel.fromJson(vectors.model_file)
  assert.equal(model.kind, 'logistic')
  assert.equal(model.columnNames.length, vectors.cols)
  const p = model.score(x, vectors.cols)
  assert.ok(p instanceof Float64Array)
  assert.equal(p.length, vectors.rows)
  for (let i = 0; i < vectors.rows; i++) {
    assert.equal(p[i], vectors.probabilities[i], `row ${i}`)
    assert.ok(Math.abs(p[i] - vectors.probabilities[i]) <= 1e-12)
  }
  assert.deepEqual(model.score(x, vectors.cols, 2), p)
  const d = model.decisionFunction(x, vectors.cols)
  for (let i = 0; i < vectors.rows; i++) assert.equal(d[i], vectors.decision[i], `row ${i}`)
})

test('one lead at a time, explanations that add up, ratings', () => {
  const model = ScoringModel.fromJson(vectors.model_file)
  const cols = vectors.cols
  for (const r of [0, 17, vectors.rows - 1]) {
    const row = x.subarray(r * cols, (r + 1) * cols)
    assert.equal(model.scoreOne(row), vectors.probabilities[r])
    const parts = model.explain(x, cols, r)
    assert.equal(parts.length, cols)
    const sum = parts.reduce((a, b) => a + b, model.intercept)
    assert.ok(Math.abs(sum - vectors.decision[r]) <= 1e-12, `row ${r}: ${sum} vs ${vectors.decision[r]}`)
  }
  const { hot, warm } = model.thresholds
  assert.equal(model.rate(hot), 'hot')
  assert.equal(model.rate((hot + warm) / 2), 'warm')
  assert.equal(model.rate(0), 'cold')
})

test('a file written back and loaded from disk is the same model', () => {
  const model = ScoringModel.fromJson(vectors.model_file)
  const path = join(mkdtempSync(join(tmpdir(), 'crm-model-')), 'model.json')
  writeFileSync(path, model.toJson())
  const loaded = ScoringModel.load(path)
  assert.deepEqual(loaded.score(x, vectors.cols), model.score(x, vectors.cols))
  assert.equal(loaded.formatVersion, 1)
})

test('bad matrices and files are refused with their codes', () => {
  const model = ScoringModel.fromJson(vectors.model_file)
  const cols = vectors.cols
  assert.throws(() => model.score(x.subarray(0, cols + 1), cols), { code: 'invalid_value' })
  assert.throws(() => model.score(Float64Array.of(...Array(cols).fill(0)), 0), { code: 'invalid_value' })
  assert.throws(() => model.score([1, 2, 3], cols), { code: 'input' })
  assert.throws(() => model.score(new Float32Array(cols), cols), { code: 'input' })
  assert.throws(() => model.score(x, 'seven'), { code: 'input' })
  const nan = Float64Array.from(x.subarray(0, cols))
  nan[3] = NaN
  assert.throws(() => model.score(nan, cols), (e) => e.code === 'invalid_value' && /NaN|finite/.test(e.message))
  assert.throws(() => model.scoreOne(x.subarray(0, cols - 1)), { code: 'invalid_value' })
  assert.throws(() => model.explain(x, cols, vectors.rows), { code: 'invalid_value' })
  assert.throws(() => ScoringModel.fromJson('{"format_version": 99}'), { code: 'unsupported_version' })
  assert.throws(() => ScoringModel.fromJson(vectors.model_file.slice(0, 100)), { code: 'invalid_value' })
  assert.throws(() => ScoringModel.load('/nonexistent/model.json'), { code: 'input' })
})

test('stored leads are re-scored with a rule set, synchronously and off the JS thread', async () => {
  const crm = Crm.inMemory()
  crm.leads.capture({ values: { last_name: 'Lovelace', email: 'ada@example.com', job_title: 'CTO' } })
  crm.leads.capture({ values: { last_name: 'Hopper', email: 'grace@example.com' } })
  const rules = {
    fit: [{ name: 'chief', attribute: 'job_title', test: 'contains', values: ['cto'], points: 50 }],
    thresholds: { hot: 50, warm: 20 },
  }
  const report = crm.scoring.rescoreLeads(rules)
  assert.equal(report.scored, 2)
  assert.equal(report.changed, 2)
  const again = await crm.scoring.rescoreLeadsAsync(rules)
  assert.equal(again.changed, 0)
  const scores = crm.leads.list().map((l) => l.score).sort()
  assert.deepEqual(scores, [0, 50])
  const hot = crm.leads.list().find((l) => l.score === 50)
  assert.equal(hot.data.rating, 'hot')
  await assert.rejects(crm.scoring.rescoreLeadsAsync({ fit: [{ name: 'x', attribute: 'shoe_size', test: 'present', points: 1 }] }), { code: 'input' })
})

// The parity scenario (tests/parity/scenario.json) through the Node package: every step
// calls its use case by name on the namespace objects (crm.leads.capture …), with the
// arguments in the declared order, and checks the result or the error code. A use case
// missing or mis-wired here fails, as in the Rust, Python and Kotlin runners.
process.env.CRM_NODE_CHECK_TAPE = '1' // every result checked against its JSON (tape.test.mjs)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { postgresUrl } from './postgres_url.mjs'

const require = createRequire(import.meta.url)
const { Crm, useCases } = require('../index.js')

const scenario = JSON.parse(readFileSync(new URL('../../tests/parity/scenario.json', import.meta.url), 'utf8'))
const declared = new Map(useCases().map((c) => [`${c.namespace}.${c.name}`, c]))
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

// The edge writes keys camelCase except under the keys holding the user's own data; the
// scenario speaks crm-core's snake_case, so results are read back the same way.
const VERBATIM = new Set(['custom', 'fields', 'buyer', 'turns', 'territories', 'exceptions'])
const snakeKey = (k) => (/^[a-z][a-zA-Z0-9]*$/.test(k) ? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : k)
function snake(value, verbatim = false) {
  if (Array.isArray(value)) return value.map((v) => snake(v))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [verbatim ? k : snakeKey(k), snake(v, VERBATIM.has(k))]))
  }
  return value
}

function lookup(bound, reference) {
  const [name, ...path] = reference.split('.')
  assert.ok(name in bound, `$${name} is not bound`)
  return path.reduce((v, part) => {
    const next = v?.[/^\d+$/.test(part) ? Number(part) : part]
    assert.ok(next !== undefined, `$${reference}: no ${part}`)
    return next
  }, bound[name])
}

function resolve(value, bound) {
  if (typeof value === 'string' && value.startsWith('$')) return lookup(bound, value.slice(1))
  if (Array.isArray(value)) return value.map((v) => resolve(v, bound))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, bound)]))
  return value
}

// Whether `actual` contains `expected` (tests/parity/README.md); throws at the first difference.
function contains(expected, actual, path) {
  if (expected && typeof expected === 'object' && !Array.isArray(expected) && Object.keys(expected).length === 1 && '$len' in expected) {
    assert.ok(Array.isArray(actual) && actual.length === expected.$len, `${path}: expected length ${expected.$len}, got ${JSON.stringify(actual)}`)
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
    expected.forEach((e, i) => contains(e, actual[i], `${path}[${i}]`))
  } else if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${path}: expected an object, got ${JSON.stringify(actual)}`)
    for (const [k, e] of Object.entries(expected)) contains(e, actual[k] ?? null, `${path}.${k}`)
  } else {
    assert.deepEqual(actual, expected, `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

for (const store of ['sqlite', 'postgres']) test(`the parity scenario passes through the Node package on ${store}`, (t) => {
  const url = store === 'postgres' ? postgresUrl(t) : null
  if (store === 'postgres' && !url) return
  const crm = url ? Crm.open(url, { region: scenario.region }) : Crm.inMemory({ region: scenario.region })
  // `$scratch`: a file path of this run's own (an export writes there, an import reads it)
  const bound = { scratch: join(mkdtempSync(join(tmpdir(), 'crm-parity-')), 'file') }
  const called = new Set()
  scenario.steps.forEach((step, i) => {
    const useCase = declared.get(step.call)
    assert.ok(useCase, `step ${i}: ${step.call} is not declared`)
    const args = resolve(step.args ?? {}, bound)
    const at = `step ${i} (${step.call})`
    const known = [...useCase.params.map((p) => p.name), ...(useCase.takesNow ? ['now'] : [])]
    if (Object.keys(args).some((k) => !known.includes(k))) {
      // an argument the use case does not take: refused by name in Rust (`input`); a
      // positional call cannot even pass it
      assert.equal(step.error, 'input', `${at}: an unknown argument must expect an input error`)
      called.add(step.call)
      return
    }
    const positional = useCase.params.map((p) => args[p.name] ?? null)
    if (useCase.takesNow) positional.push(args.now ?? scenario.now)
    const method = crm[camel(useCase.namespace)][camel(useCase.name)]
    assert.equal(typeof method, 'function', `${at}: crm.${useCase.namespace}.${camel(useCase.name)} is missing`)
    let result
    try {
      // a step `as_user` is made through a handle bound to that user (refused: `forbidden`)
      const handle = step.as_user ? crm.asUser(step.as_user) : crm
      const ns = handle[camel(useCase.namespace)]
      result = snake(ns[camel(useCase.name)].apply(ns, positional))
    } catch (e) {
      assert.ok(step.error, `${at}: ${e.message} (${e.code})`)
      assert.equal(e.code, step.error, `${at}: ${e.message}`)
      called.add(step.call)
      return
    }
    assert.ok(!step.error, `${at}: expected error ${step.error}, got ${JSON.stringify(result)}`)
    if (step.expect) contains(resolve(step.expect, bound), result, `${at}: result`)
    if (step.bind) bound[step.bind] = result
    called.add(step.call)
  })
  const missing = [...declared.keys()].filter((k) => !called.has(k))
  assert.deepEqual(missing, [], 'declared use cases the scenario never calls')
})

test('every declared use case has its method, and its Promise twin where declared', () => {
  const crm = Crm.inMemory()
  for (const c of declared.values()) {
    assert.equal(typeof crm[camel(c.namespace)][camel(c.name)], 'function', `${c.namespace}.${camel(c.name)}`)
    if (c.asyncName) assert.equal(typeof crm[camel(c.namespace)][camel(c.asyncName)], 'function', `${c.namespace}.${camel(c.asyncName)}`)
  }
})

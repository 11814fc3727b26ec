// Scoring 1M leads × 32 features from a Float64Array: the crm-core addon against the same
// logistic scoring written as a plain JavaScript loop, in one run; and the per-call cost of
// scoring a single lead. Build the addon in release mode first:
//   (cd crm-node && npx napi build --platform --release) && node benches/node/bench_scoring.mjs
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

const require = createRequire(import.meta.url)
const { ScoringModel } = require('../../crm-node/index.js')

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const COLS = 32
const REPEATS = 5

// deterministic data (splitmix-like), features in [-1, 1)
let seed = 42n
function uniform() {
  seed = (seed + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn
  let z = seed
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn
  return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53
}
const coef = Array.from({ length: COLS }, () => uniform() - 0.5)
const intercept = -0.25
const model = ScoringModel.fromJson(
  JSON.stringify({
    format_version: 1,
    features: { features: coef.map((_, i) => ({ feature: 'column', name: `f${i}` })) },
    model: { kind: 'logistic', coef, intercept, report: { iterations: 0, objective: 0, gradient_norm: 0 } },
    thresholds: { hot: 0.7, warm: 0.4 },
  }),
)
const x = new Float64Array(ROWS * COLS)
for (let i = 0; i < x.length; i++) x[i] = 2 * uniform() - 1

// what a Node developer writes without the addon
function scoreJs(x, cols, w, b) {
  const rows = x.length / cols
  const out = new Float64Array(rows)
  for (let r = 0; r < rows; r++) {
    let z = b
    const o = r * cols
    for (let c = 0; c < cols; c++) z += x[o + c] * w[c]
    out[r] = 1 / (1 + Math.exp(-z))
  }
  return out
}
const w = Float64Array.from(coef)

function best(f) {
  let min = Infinity
  let result
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now()
    result = f()
    min = Math.min(min, performance.now() - t)
  }
  return [min, result]
}

const [jsMs, pJs] = best(() => scoreJs(x, COLS, w, intercept))
const [addonMs, p] = best(() => model.score(x, COLS))
const [addon2Ms, p2] = best(() => model.score(x, COLS, 2))
let maxDiff = 0
for (let i = 0; i < ROWS; i++) maxDiff = Math.max(maxDiff, Math.abs(p[i] - pJs[i]), Math.abs(p2[i] - p[i]))
if (maxDiff > 1e-12) throw new Error(`results differ by ${maxDiff}`)

// one lead per call
const CALLS = 1_000_000
const row = x.subarray(0, COLS)
let sink = 0
for (let i = 0; i < 10_000; i++) sink += model.scoreOne(row)
let t = performance.now()
for (let i = 0; i < CALLS; i++) sink += model.scoreOne(x.subarray((i % 1000) * COLS, (i % 1000 + 1) * COLS))
const oneNs = ((performance.now() - t) * 1e6) / CALLS
t = performance.now()
for (let i = 0; i < CALLS; i++) sink += x.subarray((i % 1000) * COLS, (i % 1000 + 1) * COLS)[0]
const subarrayNs = ((performance.now() - t) * 1e6) / CALLS

console.log(`rows ${ROWS} × ${COLS} features, best of ${REPEATS}; max |difference| ${maxDiff.toExponential(1)}`)
console.log(`plain JavaScript loop      ${jsMs.toFixed(1)} ms`)
console.log(`addon score (1 thread)     ${addonMs.toFixed(1)} ms   ${(jsMs / addonMs).toFixed(2)}× the JS loop`)
console.log(`addon score (2 threads)    ${addon2Ms.toFixed(1)} ms   ${(jsMs / addon2Ms).toFixed(2)}× the JS loop`)
console.log(`scoreOne per call          ${oneNs.toFixed(0)} ns (of which ${subarrayNs.toFixed(0)} ns making the subarray)  [goal < 2000 ns]`)
if (sink === 42) console.log('')

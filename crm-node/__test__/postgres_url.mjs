import assert from 'node:assert/strict'

// The test server's URL with a fresh schema (scripts/test.sh starts a server), or null:
// the PostgreSQL run is skipped without one, except under CI where that fails.
export function postgresUrl(t) {
  const url = process.env.CRM_TEST_POSTGRES_URL
  if (!url) {
    assert.ok(!process.env.CI, 'CRM_TEST_POSTGRES_URL is not set: run the tests through scripts/test.sh')
    t.skip('no PostgreSQL server (scripts/test.sh starts one)')
    return null
  }
  return `${url}${url.includes('?') ? '&' : '?'}schema=node_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e9)}`
}

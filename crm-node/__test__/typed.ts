// Compiled by `tsc --noEmit` (scripts/test.sh): the generated index.d.ts types the calls a
// TypeScript app makes, and refuses the mistakes it should.
import { Crm, ScoringModel, BusinessCalendar, priceDocument } from '../index'
import type { Captured, Lead, Money, Opportunity, Quote, CaseSla, MarketingReport, CrmError, Instant } from '../index'

const crm: Crm = Crm.inMemory({ region: 'DE' })
const now: Instant = new Date('2026-03-02T09:00:00Z')
const captured: Captured = crm.leads.capture({ values: { last_name: 'Lovelace', email: 'ada@example.com' } }, now)
const lead: Lead = captured.lead
const status: 'new' | 'working' | 'qualified' | 'disqualified' | 'converted' | string = lead.status as string
const edited: Lead = crm.leads.update(lead.id, lead.version, { ...lead.data, jobTitle: 'CTO' }, '2026-03-02T10:00:00Z')
const price: Money = { amount: '19.99', currency: 'EUR' }
const account = crm.customers.createAccount({ name: 'Acme' }, now)
const pipeline = crm.sales.definePipeline('sales')
const deal: Opportunity = crm.sales.openOpportunity(
  { name: 'Deal', account: account.id, pipeline: pipeline.id, amount: price, expectedClose: '2026-06-30' },
  now,
)
const quote: Quote = crm.quotes.create(
  {
    account: account.id,
    opportunity: deal.id,
    currency: 'EUR',
    validUntil: '2026-04-01',
    lines: [{ description: 'Widget', quantity: '3', unitPrice: price }],
    taxes: [],
    rounding: { mode: 'half_even', strategy: 'per_line' },
  },
  now,
)
const total: string = quote.priced.grandTotal.amount
const sla: Promise<CaseSla[]> = crm.service.slaReportAsync(now)
const report: Promise<MarketingReport> = crm.marketing.reportAsync('EUR', { from: '2026-03-01T00:00:00Z' })
const model: ScoringModel = ScoringModel.fromJson('{}')
const p: Float64Array = model.score(new Float64Array(32), 32)
const one: number = model.scoreOne(new Float64Array(32))
const due: string = new BusinessCalendar({ timeZone: 'Europe/Berlin', intervals: [{ weekday: 'Mon', start: '09:00', end: '17:00' }] }).add(now, 60)
const priced = priceDocument([{ quantity: '1', unitPrice: price }], 'EUR', { mode: 'half_up', strategy: 'global' })
const code = (e: unknown): string => (e as CrmError).code

// @ts-expect-error money is a decimal string, never a JS number
const wrong: Money = { amount: 19.99, currency: 'EUR' }
// @ts-expect-error a matrix is a Float64Array
model.score([1, 2, 3], 3)
// @ts-expect-error ids are numbers
crm.leads.get('1')
// @ts-expect-error case priorities are a closed set
crm.service.setCasePriority(1, 'whenever')

export { status, edited, total, sla, report, p, one, due, priced, code, wrong }

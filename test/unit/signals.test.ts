import { describe, expect, it } from 'vitest'
import { type SignalKpi, actionLink, dismissSchema, overdueBuildUp, relativeFallPct, sentimentKpiDrop, signalsQuerySchema } from '~/insights/signals'

const periods = ['2025-10-01', '2026-01-01', '2026-04-01']
const kpis = (entries: Partial<Record<SignalKpi, [string, number][]>>) => new Map(Object.entries(entries).map(([k, v]) => [k as SignalKpi, new Map(v)]))
const base = { periods, enpsDrop: 15, kpiDropPct: 10, currency: 'EUR' }

describe('relativeFallPct', () => {
  it('is the fall from before in percent, rounded to 0.1, and null without a positive base', () => {
    expect(relativeFallPct(0.6, 0.3)).toBe(50)
    expect(relativeFallPct(0.3, 0.33)).toBe(-10)
    expect(relativeFallPct(9000, 8100)).toBe(10)
    expect(relativeFallPct(0.3, 0.2)).toBe(33.3)
    expect(relativeFallPct(0, 0.2)).toBeNull()
    expect(relativeFallPct(null, 0.2)).toBeNull()
    expect(relativeFallPct(0.2, null)).toBeNull()
  })
})

describe('sentimentKpiDrop', () => {
  const enps = new Map([
    ['2026-01-01', 40],
    ['2026-04-01', 25],
  ])

  it('needs eNPS to fall by at least the setting (15 points: 40 → 25 counts, 40 → 25.1 does not)', () => {
    const k = kpis({ win_rate: [['2026-01-01', 0.5], ['2026-04-01', 0.45]] })
    expect(sentimentKpiDrop({ ...base, period: '2026-04-01', enps, kpis: k })).toMatchObject({ enpsDrop: 15, kpi: 'win_rate', kpiDropPct: 10, lag: 0 })
    expect(sentimentKpiDrop({ ...base, period: '2026-04-01', enps: new Map([['2026-01-01', 40], ['2026-04-01', 25.1]]), kpis: k })).toBeNull()
  })

  it('needs a KPI to fall by at least the setting in the same or the next period', () => {
    expect(sentimentKpiDrop({ ...base, period: '2026-04-01', enps, kpis: kpis({ win_rate: [['2026-01-01', 0.5], ['2026-04-01', 0.46]] }) })).toBeNull()
    const next = sentimentKpiDrop({ ...base, period: '2026-01-01', enps: new Map([['2025-10-01', 50], ['2026-01-01', 30]]), kpis: kpis({ avg_deal_size: [['2026-01-01', 10000], ['2026-04-01', 8000]] }) })
    expect(next).toEqual({
      enpsPeriodBefore: '2025-10-01',
      enpsBefore: 50,
      enpsAfter: 30,
      enpsDrop: 20,
      kpi: 'avg_deal_size',
      lag: 1,
      kpiPeriodBefore: '2026-01-01',
      kpiPeriod: '2026-04-01',
      kpiBefore: 10000,
      kpiAfter: 8000,
      kpiDropPct: 20,
      currency: 'EUR',
    })
  })

  it('reports the KPI with the largest fall', () => {
    const k = kpis({ win_rate: [['2026-01-01', 0.5], ['2026-04-01', 0.4]], lead_conversion_rate: [['2026-01-01', 0.4], ['2026-04-01', 0.2]] })
    expect(sentimentKpiDrop({ ...base, period: '2026-04-01', enps, kpis: k })).toMatchObject({ kpi: 'lead_conversion_rate', kpiDropPct: 50 })
  })

  it('raises nothing when a period has no shown eNPS (suppressed or no answers) or is the first one', () => {
    const k = kpis({ win_rate: [['2026-01-01', 0.5], ['2026-04-01', 0.2]] })
    expect(sentimentKpiDrop({ ...base, period: '2026-04-01', enps: new Map([['2026-04-01', -50]]), kpis: k })).toBeNull()
    expect(sentimentKpiDrop({ ...base, period: '2025-10-01', enps, kpis: k })).toBeNull()
  })
})

describe('overdueBuildUp', () => {
  it('needs at least 3 overdue pairs and at least half of the team’s pairs', () => {
    expect(overdueBuildUp(3, 6)).toBe(true)
    expect(overdueBuildUp(3, 7)).toBe(false)
    expect(overdueBuildUp(2, 2)).toBe(false)
    expect(overdueBuildUp(20, 40)).toBe(true)
    expect(overdueBuildUp(0, 0)).toBe(false)
  })
})

describe('forms and links', () => {
  const messages = { reasonRequired: 'Reason: required', reasonTooLong: 'Reason: too long', unknownSignal: 'Signal: unknown' }
  it('refuses a blank or missing reason and a reason over 1000 characters, naming the field', () => {
    const id = '00000000-0000-4000-8000-000000000001'
    expect(dismissSchema(messages).safeParse({ intent: 'dismiss', signalId: id, reason: '  ' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['reason', 'Reason: required']])
    expect(dismissSchema(messages).safeParse({ intent: 'dismiss', signalId: id }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['reason', 'Reason: required']])
    expect(dismissSchema(messages).safeParse({ intent: 'dismiss', signalId: id, reason: 'x'.repeat(1001) }).error?.issues.map((i) => i.message)).toEqual(['Reason: too long'])
    expect(dismissSchema(messages).parse({ intent: 'dismiss', signalId: id, reason: '  seasonal  ' }).reason).toBe('seasonal')
  })

  it('parses the API filters with open by default and rejects unknown parameters', () => {
    expect(signalsQuerySchema.parse({})).toEqual({ status: 'open' })
    expect(signalsQuerySchema.safeParse({ status: 'closed' }).success).toBe(false)
    expect(signalsQuerySchema.safeParse({ foo: '1' }).success).toBe(false)
  })

  it('turns a signal into the prefilled action form', () => {
    const team = { id: '00000000-0000-4000-8000-0000000000aa', name: 'Roma' }
    expect(actionLink({ id: 'sig-1', team, kind: 'sentiment_and_kpi', details: { kpi: 'win_rate' } as never })).toBe(`/actions/new?signal=sig-1&team=${team.id}&kpi=win_rate&driver=enps`)
    expect(actionLink({ id: 'sig-2', team, kind: 'overdue_one_on_ones', details: { overdue: 3, reports: 4 } })).toBe(`/actions/new?signal=sig-2&team=${team.id}`)
  })
})

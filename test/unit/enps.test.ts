import { describe, expect, it } from 'vitest'
import {
  DRIVER_KEYS,
  DRIVER_LABELS,
  driverSummary,
  FAVOURABLE_MIN,
  isDriverKey,
  isFavourable,
} from '~/responses/drivers'
import { enpsBand, enpsFromScores, enpsSummary, PASSIVE_MIN, PROMOTER_MIN } from '~/responses/enps'

describe('enpsBand', () => {
  it('puts 9–10 in promoters, 7–8 in passives and the rest in detractors', () => {
    const bands = Array.from({ length: 11 }, (_, score) => enpsBand(score))
    expect(bands).toEqual([
      'detractor', 'detractor', 'detractor', 'detractor', 'detractor', 'detractor', 'detractor', // 0–6
      'passive', 'passive', // 7–8
      'promoter', 'promoter', // 9–10
    ])
  })

  it('exports the boundaries SQL queries use', () => {
    expect(PROMOTER_MIN).toBe(9)
    expect(PASSIVE_MIN).toBe(7)
    expect(enpsBand(PROMOTER_MIN)).toBe('promoter')
    expect(enpsBand(PROMOTER_MIN - 1)).toBe('passive')
    expect(enpsBand(PASSIVE_MIN)).toBe('passive')
    expect(enpsBand(PASSIVE_MIN - 1)).toBe('detractor')
  })

  it('refuses scores off either scale', () => {
    expect(() => enpsBand(11)).toThrow(RangeError)
    expect(() => enpsBand(-1)).toThrow(RangeError)
    expect(() => enpsBand(8.5)).toThrow(/whole number/)
  })
})

describe('enpsSummary', () => {
  it('5 promoters, 3 passives, 2 detractors → eNPS 30 with its interval worked by hand', () => {
    // n = 10, pP = 0.5, pD = 0.2, d = 0.3
    // var = (0.5 + 0.2 − 0.3²)/10 = 0.61/10 = 0.061; √var = 0.246981780704569
    // 1.96·√var = 0.484084290180956
    // CI = 100·(0.3 ∓ 0.484084290180956) = [−18.408429018096, 78.408429018096]
    const summary = enpsSummary({ promoters: 5, passives: 3, detractors: 2 })
    expect(summary).toMatchObject({ n: 10, promoters: 5, passives: 3, detractors: 2, enps: 30 })
    expect(summary.ciLow).toBeCloseTo(-18.408429018096, 9)
    expect(summary.ciHigh).toBeCloseTo(78.408429018096, 9)
  })

  it('40/35/25 of 100 → eNPS exactly 15', () => {
    // var = (0.40 + 0.25 − 0.15²)/100 = 0.6275/100 = 0.006275; √var = 0.0792148975887743
    // 1.96·√var = 0.155261199273998 → CI = [−0.5261199274, 30.5261199274]
    const summary = enpsSummary({ promoters: 40, passives: 35, detractors: 25 })
    expect(summary.enps).toBe(15)
    expect(summary.ciLow).toBeCloseTo(-0.5261199274, 9)
    expect(summary.ciHigh).toBeCloseTo(30.5261199274, 9)
  })

  it('clamps the interval to [−100, 100]', () => {
    // 3/1/1: d = 0.4, var = (0.6 + 0.2 − 0.16)/5 = 0.128, 1.96·√0.128 = 0.701230917743934
    // → 100·(0.4 ± 0.701230917743934) = [−30.1230917744, 110.12…] → upper clamped to 100.
    const summary = enpsSummary({ promoters: 3, passives: 1, detractors: 1 })
    expect(summary.enps).toBe(40)
    expect(summary.ciLow).toBeCloseTo(-30.1230917744, 9)
    expect(summary.ciHigh).toBe(100)
    // 1/0/1: d = 0, var = (0.5 + 0.5 − 0)/2 = 0.5 → ±138.59… → both ends clamped.
    expect(enpsSummary({ promoters: 1, passives: 0, detractors: 1 })).toMatchObject({ enps: 0, ciLow: -100, ciHigh: 100 })
  })

  it('collapses the interval when everyone is in one band', () => {
    expect(enpsSummary({ promoters: 10, passives: 0, detractors: 0 })).toMatchObject({ enps: 100, ciLow: 100, ciHigh: 100 })
    expect(enpsSummary({ promoters: 0, passives: 0, detractors: 4 })).toMatchObject({ enps: -100, ciLow: -100, ciHigh: -100 })
    expect(enpsSummary({ promoters: 0, passives: 6, detractors: 0 })).toMatchObject({ enps: 0, ciLow: 0, ciHigh: 0 })
  })

  it('has no score when nobody answered', () => {
    expect(enpsSummary({ promoters: 0, passives: 0, detractors: 0 })).toEqual({
      n: 0, promoters: 0, passives: 0, detractors: 0, enps: null, ciLow: null, ciHigh: null,
    })
  })

  it('refuses impossible counts', () => {
    expect(() => enpsSummary({ promoters: -1, passives: 0, detractors: 0 })).toThrow(/promoters/)
    expect(() => enpsSummary({ promoters: 1, passives: 0.5, detractors: 0 })).toThrow(/passives/)
  })
})

describe('enpsFromScores', () => {
  it('counts bands on the 1–10 scale', () => {
    // promoters 10, 9, 9, 10, 9 (5); passives 7, 8, 8 (3); detractors 1, 6 (2) → same as 5/3/2.
    const summary = enpsFromScores([10, 9, 7, 1, 8, 9, 6, 10, 8, 9])
    expect(summary).toEqual(enpsSummary({ promoters: 5, passives: 3, detractors: 2 }))
    expect(summary.enps).toBe(30)
  })

  it('counts 0 as a detractor on the 0–10 scale', () => {
    expect(enpsFromScores([0, 0, 9])).toMatchObject({ n: 3, promoters: 1, passives: 0, detractors: 2 })
    expect(enpsFromScores([0, 0, 9]).enps).toBeCloseTo(-100 / 3, 12)
  })

  it('is empty for no scores', () => {
    expect(enpsFromScores([]).enps).toBeNull()
  })
})

// Pulse driver scoring lives beside eNPS in docs/architecture.md#surveys-and-scoring, so its tests
// live here too; the eleven drivers are the ones listed there.
describe('drivers', () => {
  it('lists the eleven drivers with English and Italian labels', () => {
    expect(DRIVER_KEYS).toEqual([
      'engagement', 'recognition', 'workload', 'tools_crm', 'manager_support', 'growth', 'wellbeing',
      'quota_fairness', 'comp_plan_clarity', 'lead_quality', 'admin_burden',
    ])
    for (const key of DRIVER_KEYS) {
      expect(DRIVER_LABELS[key].en.length).toBeGreaterThan(0)
      expect(DRIVER_LABELS[key].it.length).toBeGreaterThan(0)
    }
    expect(DRIVER_LABELS.tools_crm).toEqual({ en: 'Tools and CRM', it: 'Strumenti e CRM' })
    expect(isDriverKey('lead_quality')).toBe(true)
    expect(isDriverKey('happiness')).toBe(false)
  })

  it('counts 4 and 5 as favourable', () => {
    expect(FAVOURABLE_MIN).toBe(4)
    expect([1, 2, 3, 4, 5].map(isFavourable)).toEqual([false, false, false, true, true])
  })

  it('summarises a distribution: mean answer and favourable share', () => {
    // 1×1 + 2×2 + 3×3 + 4×4 + 5×5 = 55 over 15 answers: mean 11/3; favourable (4 + 5) = 9/15 = 0.6
    const summary = driverSummary({ 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 })
    expect(summary).toMatchObject({ n: 15, favourable: 9, favourableShare: 0.6 })
    expect(summary.mean).toBeCloseTo(11 / 3, 14)
    // Missing values count as zero: 3×4 + 1×5 = 17 over 4 answers.
    expect(driverSummary({ 4: 3, 5: 1 })).toEqual({ n: 4, mean: 4.25, favourable: 4, favourableShare: 1 })
  })

  it('has no score without answers and refuses impossible counts', () => {
    expect(driverSummary({})).toEqual({ n: 0, mean: null, favourable: 0, favourableShare: null })
    expect(() => driverSummary({ 3: -1 })).toThrow(/answers 3/)
  })
})

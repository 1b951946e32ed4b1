import { describe, expect, it } from 'vitest'
import { clusteredMeanInterval, impactPeriods, wilsonInterval } from '~/insights/impact'

describe('wilsonInterval', () => {
  it('gives the Wilson score interval at 95% (z = Φ⁻¹(0.975))', () => {
    // 3 of 4: centre (0.75 + z²/8)/(1 + z²/4) = 0.62753, half-width 0.32689.
    const i = wilsonInterval(3, 4)!
    expect(i.low).toBeCloseTo(0.30064, 4)
    expect(i.high).toBeCloseTo(0.95442, 4)
    // 0 of 5 does not collapse to [0, 0] as the Wald interval would.
    expect(wilsonInterval(0, 5)!.low).toBe(0)
    expect(wilsonInterval(0, 5)!.high).toBeCloseTo(0.43449, 4)
    expect(wilsonInterval(0, 0)).toBeNull()
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError)
  })
})

describe('clusteredMeanInterval', () => {
  it('is s/√n with one answer per respondent', () => {
    // 2,2,3,3,2: mean 2.4, Σ(y−ȳ)² = 1.2, se = √(5/4·1.2)/5 = 0.24495, ±1.95996·se = ±0.48009.
    const i = clusteredMeanInterval({ n: 5, answers: 5, mean: 2.4, ss: 1.2 })!
    expect(i.low).toBeCloseTo(1.91991, 4)
    expect(i.high).toBeCloseTo(2.88009, 4)
  })

  it('treats each respondent’s answers as one cluster', () => {
    // A: 2 and 4 (y 6, m 2), B: 5, C: 3 → mean 14/4 = 3.5; Σ(y − 3.5·m)² = 1 + 2.25 + 0.25 = 3.5;
    // se = √(3/2 · 3.5)/4 = 0.57282; ±1.12271.
    const i = clusteredMeanInterval({ n: 3, answers: 4, mean: 3.5, ss: 3.5 })!
    expect(i.low).toBeCloseTo(2.37729, 4)
    expect(i.high).toBeCloseTo(4.62271, 4)
  })

  it('stays on the 1–5 scale and needs two respondents', () => {
    expect(clusteredMeanInterval({ n: 2, answers: 2, mean: 1.5, ss: 0.5 })!.low).toBe(1)
    expect(clusteredMeanInterval({ n: 1, answers: 1, mean: 3, ss: 0 })).toBeNull()
  })
})

describe('impactPeriods', () => {
  it('before: the periods before creation; during: until the done period; after: from the done period on', () => {
    const view = impactPeriods({ createdOn: '2026-04-10', pivotOn: '2026-05-20', unit: 'month', count: 2, today: '2026-11-27' })
    expect(view).toEqual({
      from: '2026-02-01',
      to: '2026-06-30',
      periods: [
        { period: '2026-02-01', phase: 'before', partial: false },
        { period: '2026-03-01', phase: 'before', partial: false },
        { period: '2026-04-01', phase: 'during', partial: false },
        { period: '2026-05-01', phase: 'after', partial: false },
        { period: '2026-06-01', phase: 'after', partial: false },
      ],
    })
  })

  it('a fresh action: the current period is its first "after" period, partial, and the future is left out', () => {
    const view = impactPeriods({ createdOn: '2026-11-20', pivotOn: '2026-11-20', unit: 'quarter', count: 2, today: '2026-11-27' })
    expect(view).toEqual({
      from: '2026-04-01',
      to: '2026-11-27',
      periods: [
        { period: '2026-04-01', phase: 'before', partial: false },
        { period: '2026-07-01', phase: 'before', partial: false },
        { period: '2026-10-01', phase: 'after', partial: true },
      ],
    })
  })
})

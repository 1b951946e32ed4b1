import { describe, expect, it } from 'vitest'
import { defaultWindow, exactWinRate, leadConversionRate, periodCount, pipelineVelocity, quotaAttainment, ratio, roundMoney, roundRate, share, toNumber, winRate } from '~/funnel/kpi'

describe('kpi formulas', () => {
  it('win rate follows the convention and is null with nothing to measure', () => {
    // closed: 3 won ÷ (3 + 1) = 0.75; created: 3 of 10 created = 0.3.
    expect(winRate({ won: 3, lost: 1, createdCount: 10, createdWon: 3 }, 'closed')).toBe(0.75)
    expect(winRate({ won: 3, lost: 1, createdCount: 10, createdWon: 3 }, 'created')).toBe(0.3)
    expect(winRate({ won: 0, lost: 0, createdCount: 5, createdWon: 0 }, 'closed')).toBeNull()
    expect(winRate({ won: 0, lost: 4, createdCount: 0, createdWon: 0 }, 'closed')).toBe(0)
    expect(winRate({ won: 0, lost: 4, createdCount: 0, createdWon: 0 }, 'created')).toBeNull()
    expect(winRate({ won: 1, lost: 2, createdCount: 0, createdWon: 0 }, 'closed')).toBe(0.3333)
    expect(exactWinRate({ won: 1, lost: 2, createdCount: 0, createdWon: 0 }, 'closed')).toBeCloseTo(1 / 3, 12)
  })

  it('pipeline velocity = open × win rate × average deal ÷ mean cycle days', () => {
    // 10 × 0.25 × 4000 ÷ 50 = 200 per day.
    expect(pipelineVelocity({ openCount: 10, winRate: 0.25, avgDealSize: 4000, meanCycleDays: 50 })).toBe(200)
    // 3 × 2/3 × 2000 ÷ 15 = 266.666… → 266.67.
    expect(pipelineVelocity({ openCount: 3, winRate: 2 / 3, avgDealSize: 2000, meanCycleDays: 15 })).toBe(266.67)
    expect(pipelineVelocity({ openCount: 0, winRate: 0.5, avgDealSize: 100, meanCycleDays: 10 })).toBe(0)
    expect(pipelineVelocity({ openCount: 5, winRate: null, avgDealSize: 100, meanCycleDays: 10 })).toBeNull()
    expect(pipelineVelocity({ openCount: 5, winRate: 0.5, avgDealSize: null, meanCycleDays: 10 })).toBeNull()
    expect(pipelineVelocity({ openCount: 5, winRate: 0.5, avgDealSize: 100, meanCycleDays: 0 })).toBeNull()
  })

  it('quota attainment needs a positive target', () => {
    expect(quotaAttainment(2500, 10000)).toBe(0.25)
    expect(quotaAttainment(15000, 10000)).toBe(1.5)
    expect(quotaAttainment(100, null)).toBeNull()
    expect(quotaAttainment(100, 0)).toBeNull()
  })

  it('rounds money to cents and rates to four decimals; ratios never give NaN', () => {
    expect(roundMoney(1.005)).toBe(1.01)
    expect(roundMoney(-2.345)).toBe(-2.35)
    expect(roundMoney(0.1 + 0.2)).toBe(0.3)
    expect(roundRate(2 / 3)).toBe(0.6667)
    expect(ratio(0, 0)).toBeNull()
    expect(ratio(null, 3)).toBeNull()
    expect(share(1, 3)).toBe(0.3333)
    expect(leadConversionRate(0, 0)).toBeNull()
    expect(leadConversionRate(4, 2)).toBe(0.5)
    expect(toNumber('1234.50')).toBe(1234.5)
    expect(toNumber(null)).toBeNull()
  })

  it('default windows end today and start at the first period twelve periods back', () => {
    expect(defaultWindow('month', '2026-11-26')).toEqual({ from: '2025-12-01', to: '2026-11-26' })
    expect(defaultWindow('quarter', '2026-11-26')).toEqual({ from: '2024-01-01', to: '2026-11-26' })
    // 26 Nov 2026 is a Thursday: its week starts Monday 23 Nov; 11 weeks earlier is 7 Sep.
    expect(defaultWindow('week', '2026-11-26')).toEqual({ from: '2026-09-07', to: '2026-11-26' })
    expect(periodCount('month', '2025-01-15', '2025-03-01')).toBe(3)
  })
})

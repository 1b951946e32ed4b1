import { describe, expect, it } from 'vitest'
import { exactWinRate } from '~/funnel/kpi'
import { type OverdueDeal, type PeriodFigures, suggestTalkingPoints } from '~/one-on-ones/suggestions'

// The prep panel's win rate is the funnel's, under the closed-deals convention.
const winRate = (won: number, lost: number) => exactWinRate({ won, lost, createdCount: 0, createdWon: 0 }, 'closed')
const period = (won: number, lost: number, cycle: number | null): PeriodFigures => ({ won, lost, winRate: winRate(won, lost), salesCycleDaysMedian: cycle })
const deal = (id: string, amount: number, expectedCloseOn = '2026-10-01'): OverdueDeal => ({ id, name: `Deal ${id}`, amount, currency: 'EUR', expectedCloseOn })

describe('suggested talking points (1:1 prep)', () => {
  it('flags a win rate down exactly ten points (50% → 40%) and not 9.9', () => {
    expect(suggestTalkingPoints({ previous: period(5, 5, 30), current: period(4, 6, 30), overdueDeals: [], largeDealMin: null })).toEqual([
      { kind: 'win-rate-down', previous: 0.5, current: 0.4, points: 10 },
    ])
    // 6/10 → 101/200 = 50.5%: 9.5 points, no suggestion.
    expect(suggestTalkingPoints({ previous: period(6, 4, 30), current: period(101, 99, 30), overdueDeals: [], largeDealMin: null })).toEqual([])
  })

  it('needs at least three closed deals in both quarters before calling a win-rate change', () => {
    expect(suggestTalkingPoints({ previous: period(2, 0, null), current: period(0, 2, null), overdueDeals: [], largeDealMin: null })).toEqual([])
    expect(suggestTalkingPoints({ previous: period(3, 0, null), current: period(0, 3, null), overdueDeals: [], largeDealMin: null })).toEqual([
      { kind: 'win-rate-down', previous: 1, current: 0, points: 100 },
    ])
  })

  it('flags a sales cycle up by a third or more (30 → 40 days) but not 30 → 39.9', () => {
    expect(suggestTalkingPoints({ previous: period(0, 0, 30), current: period(0, 0, 40), overdueDeals: [], largeDealMin: null })).toEqual([
      { kind: 'sales-cycle-up', previous: 30, current: 40 },
    ])
    expect(suggestTalkingPoints({ previous: period(0, 0, 30), current: period(0, 0, 39.9), overdueDeals: [], largeDealMin: null })).toEqual([])
    expect(suggestTalkingPoints({ previous: period(0, 0, null), current: period(0, 0, 90), overdueDeals: [], largeDealMin: null })).toEqual([])
  })

  it('lists large deals past their expected close, biggest first, at most three', () => {
    const deals = [deal('a', 5_000), deal('b', 20_000), deal('c', 12_000), deal('d', 30_000), deal('e', 10_000)]
    const out = suggestTalkingPoints({ previous: period(0, 0, null), current: period(0, 0, null), overdueDeals: deals, largeDealMin: 10_000 })
    expect(out.map((s) => (s.kind === 'large-deal-overdue' ? s.deal.id : s.kind))).toEqual(['d', 'b', 'c'])
    // With no won history to compare against, every overdue deal is a candidate.
    expect(suggestTalkingPoints({ previous: period(0, 0, null), current: period(0, 0, null), overdueDeals: [deal('a', 5)], largeDealMin: null })).toHaveLength(1)
  })

  it('computes win rate as won ÷ (won + lost), null when nothing closed', () => {
    expect(winRate(3, 1)).toBe(0.75)
    expect(winRate(0, 0)).toBeNull()
  })
})

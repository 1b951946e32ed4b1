/**
 * Talking points suggested to a manager before a 1:1, from notable changes in the report's funnel.
 * Pure: the figures come in, the suggestions (as keys with parameters, translated by the page) go out.
 */

export type PeriodFigures = {
  /** Won ÷ (won + lost) among deals closed in the period (closed-only convention); null with no closed deal. */
  winRate: number | null
  won: number
  lost: number
  /** Median days from created to closed over deals won in the period; null with none won. */
  salesCycleDaysMedian: number | null
}

export type OverdueDeal = { id: string; name: string; amount: number; currency: string; expectedCloseOn: string }

export type Suggestion =
  | { kind: 'win-rate-down'; current: number; previous: number; points: number }
  | { kind: 'sales-cycle-up'; current: number; previous: number }
  | { kind: 'large-deal-overdue'; deal: OverdueDeal }

/** A drop of ten points or more is what a sales manager would raise (issue 5). */
export const WIN_RATE_DROP_POINTS = 10
/**
 * Below this many closed deals in either quarter a win rate swings by tens of points on one deal;
 * we do not call that a change worth a talking point.
 */
export const MIN_CLOSED_DEALS = 3
export const MAX_DEAL_SUGGESTIONS = 3

export function suggestTalkingPoints(input: { current: PeriodFigures; previous: PeriodFigures; overdueDeals: OverdueDeal[]; largeDealMin: number | null }): Suggestion[] {
  const out: Suggestion[] = []
  const { current, previous } = input
  if (
    current.winRate !== null &&
    previous.winRate !== null &&
    current.won + current.lost >= MIN_CLOSED_DEALS &&
    previous.won + previous.lost >= MIN_CLOSED_DEALS
  ) {
    // Rounded to whole points first, so 0.5 − 0.4 counts as the ten points it is (no float drift).
    const points = Math.round((previous.winRate - current.winRate) * 1000) / 10
    if (points >= WIN_RATE_DROP_POINTS) out.push({ kind: 'win-rate-down', current: current.winRate, previous: previous.winRate, points })
  }
  if (current.salesCycleDaysMedian !== null && previous.salesCycleDaysMedian !== null && previous.salesCycleDaysMedian > 0) {
    // "Up by a third": the current median is at least 4/3 of the previous one (in integers, no float drift).
    if (current.salesCycleDaysMedian * 3 >= previous.salesCycleDaysMedian * 4) {
      out.push({ kind: 'sales-cycle-up', current: current.salesCycleDaysMedian, previous: previous.salesCycleDaysMedian })
    }
  }
  // A large deal: at least the rep's average won deal size; with no won history every overdue deal counts.
  const large = input.overdueDeals
    .filter((d) => input.largeDealMin === null || d.amount >= input.largeDealMin)
    .sort((a, b) => b.amount - a.amount || a.expectedCloseOn.localeCompare(b.expectedCloseOn))
    .slice(0, MAX_DEAL_SUGGESTIONS)
  for (const deal of large) out.push({ kind: 'large-deal-overdue', deal })
  return out
}

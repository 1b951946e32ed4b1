/**
 * Display figures from published counts (app/responses/published.server.ts): the eNPS with its
 * interval (the formula lives in enps.ts only), a driver's mean and favourable share, and the
 * clustered interval's sum of squares. Pure functions, no I/O.
 */
import { enpsSummary } from './enps'

/** The additive figures of a frozen cell or a bucket: sums over its respondents (see db/schema/published.ts). */
export type Counts = {
  n: number
  answers: number
  total: number
  favourable: number
  promoters: number
  passives: number
  detractors: number
  ySquares: number
  yTimesM: number
  mSquares: number
}

const round1 = (x: number) => Math.round(x * 10) / 10
const round2 = (x: number) => Math.round(x * 100) / 100
const round3 = (x: number) => Math.round(x * 1000) / 1000

export type EnpsFigures = { n: number; promoters: number; passives: number; detractors: number; enps: number; ciLow: number; ciHigh: number }

export function enpsFigures(row: { promoters: number; passives: number; detractors: number }): EnpsFigures {
  const s = enpsSummary(row)
  return { n: s.n, promoters: s.promoters, passives: s.passives, detractors: s.detractors, enps: round1(s.enps ?? 0), ciLow: round1(s.ciLow ?? 0), ciHigh: round1(s.ciHigh ?? 0) }
}

export type DriverFigures = { n: number; answers: number; mean: number; favourableShare: number }

export function driverFigures(row: { n: number; answers: number; total: number; favourable: number }): DriverFigures {
  const mean = row.answers === 0 ? 0 : row.total / row.answers
  return { n: row.n, answers: row.answers, mean: round2(mean), favourableShare: round3(row.answers === 0 ? 0 : row.favourable / row.answers) }
}

/**
 * Σ(yᵢ − mean·mᵢ)² over respondents for the clustered interval of a mean (app/insights/impact.ts),
 * from the additive sums Σy², Σy·m and Σm².
 */
export function clusteredSumOfSquares(row: { answers: number; total: number; ySquares: number; yTimesM: number; mSquares: number }): { mean: number; ss: number } {
  const mean = row.answers === 0 ? 0 : row.total / row.answers
  return { mean, ss: Math.max(0, row.ySquares - 2 * mean * row.yTimesM + mean * mean * row.mSquares) }
}

/**
 * Employee Net Promoter Score (docs/architecture.md#surveys-and-scoring): the bands, the score and its 95% interval.
 *
 * The one place the band boundaries live. SQL aggregates use PROMOTER_MIN and PASSIVE_MIN
 * (e.g. `count(*) filter (where score >= ${PROMOTER_MIN})`) so that screens, exports and the API
 * cannot disagree with `enpsBand`.
 */

/** Lowest score counted as a promoter (9–10), on both the 0–10 and the 1–10 scale. */
export const PROMOTER_MIN = 9
/** Lowest score counted as a passive (7–8); anything below is a detractor. */
export const PASSIVE_MIN = 7
/** Highest score on either eNPS scale. */
export const ENPS_SCORE_MAX = 10

/**
 * Normal critical value used for the eNPS interval. The two-decimal 1.96 is the convention the
 * eNPS literature and vendors print; the extra digits of Φ⁻¹(0.975) change no displayed figure.
 */
export const ENPS_Z = 1.96

export type EnpsBand = 'promoter' | 'passive' | 'detractor'

export type EnpsCounts = { promoters: number; passives: number; detractors: number }

export type EnpsSummary = EnpsCounts & {
  /** Distinct respondents: promoters + passives + detractors. */
  n: number
  /** %promoters − %detractors, from −100 to 100; null when nobody answered. */
  enps: number | null
  ciLow: number | null
  ciHigh: number | null
}

/**
 * The band of one answer. The same boundaries serve the 0–10 scale (0–6 detractors) and the 1–10
 * scale (1–6 detractors): only the lowest detractor score differs.
 */
export function enpsBand(score: number): EnpsBand {
  if (!Number.isInteger(score) || score < 0 || score > ENPS_SCORE_MAX) {
    throw new RangeError(`an eNPS score is a whole number from 0 to ${ENPS_SCORE_MAX}, got ${score}`)
  }
  if (score >= PROMOTER_MIN) return 'promoter'
  if (score >= PASSIVE_MIN) return 'passive'
  return 'detractor'
}

function assertCount(name: keyof EnpsCounts, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`)
  }
}

const clampScore = (value: number) => Math.max(-100, Math.min(100, value))

/**
 * eNPS with a 95% Wald interval. Promoter and detractor shares come from one multinomial sample,
 * so the variance of their difference d = pP − pD is (pP + pD − (pP − pD)²)/n (the multinomial
 * covariance −pP·pD/n enters twice). Interval: 100·(d ± 1.96·√var), clamped to [−100, 100].
 * With every answer in one band the variance is 0 and the interval collapses to the score.
 *
 * The caller passes distinct respondents (one answer per respondent: docs/architecture.md#surveys-and-scoring): that is
 * a query concern, not this function's.
 */
export function enpsSummary(counts: EnpsCounts): EnpsSummary {
  const { promoters, passives, detractors } = counts
  assertCount('promoters', promoters)
  assertCount('passives', passives)
  assertCount('detractors', detractors)
  const n = promoters + passives + detractors
  if (n === 0) return { n, promoters, passives, detractors, enps: null, ciLow: null, ciHigh: null }

  const pP = promoters / n
  const pD = detractors / n
  const d = pP - pD
  const halfWidth = ENPS_Z * Math.sqrt((pP + pD - d * d) / n)
  return {
    n,
    promoters,
    passives,
    detractors,
    // From the counts rather than 100·d, so that e.g. 40/35/25 gives exactly 15, not 15.000000000000002.
    enps: (100 * (promoters - detractors)) / n,
    ciLow: clampScore(100 * (d - halfWidth)),
    ciHigh: clampScore(100 * (d + halfWidth)),
  }
}

/** Counts the bands of raw scores (one per distinct respondent) and summarises them. */
export function enpsFromScores(scores: readonly number[]): EnpsSummary {
  const counts: EnpsCounts = { promoters: 0, passives: 0, detractors: 0 }
  const key = { promoter: 'promoters', passive: 'passives', detractor: 'detractors' } as const
  for (const score of scores) counts[key[enpsBand(score)]]++
  return enpsSummary(counts)
}

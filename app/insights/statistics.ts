/**
 * Correlation statistics for the performance overlay (docs/architecture.md#the-performance-overlay):
 * Pearson r with its t-test and Fisher 95% interval, Spearman ρ on average ranks, a least-squares
 * line for scatter plots and the small-sample flags the dashboard shows beside them.
 *
 * Pure functions, no I/O. Distribution functions come from stdlib (a maintained numerical library)
 * rather than a hand-rolled incomplete beta function.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf'
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile'

/** Two-sided 95% critical value of the standard normal, Φ⁻¹(0.975) ≈ 1.959963984540054. */
export const Z_95 = normalQuantile(0.975, 0, 1)

/** Below this many points a correlation is flagged as resting on few points. */
export const FEW_POINTS_BELOW = 10
/** A 95% interval wider than this (on the −1..1 scale) is flagged as wide. */
export const WIDE_INTERVAL_WIDTH = 1

/**
 * Why a statistic could not be computed. `too_few_points`: fewer than 3 pairs, so the t test has
 * no degrees of freedom to spare (df = n − 2 ≥ 1 needs n ≥ 3). `zero_variance`: one of the series
 * is constant, so r = cov / (sx·sy) is 0/0.
 */
export type NotComputedReason = 'too_few_points' | 'zero_variance'

export type PearsonResult =
  | {
      n: number
      r: number
      /** t = r·√((n−2)/(1−r²)); null when |r| = 1, where t is unbounded (and p = 0). */
      t: number | null
      /** Two-sided p-value from Student's t with n − 2 degrees of freedom. */
      p: number
      ciLow: number
      ciHigh: number
      reason: null
    }
  | { n: number; r: null; t: null; p: null; ciLow: null; ciHigh: null; reason: NotComputedReason }

export type SpearmanResult =
  | { n: number; rho: number; p: number; reason: null }
  | { n: number; rho: null; p: null; reason: NotComputedReason }

export type LinearFit = { slope: number; intercept: number }

export type ExclusionCounts = {
  /** The sentiment value (x) is missing. Counted first when both are missing. */
  missingSentiment: number
  /** The KPI value (y) is missing. */
  missingKpi: number
  /** A value is present but NaN or ±Infinity (e.g. a rate over an empty denominator). */
  nonFinite: number
}

export type CorrelationReport = {
  n: number
  excluded: ExclusionCounts & { total: number }
  pearson: PearsonResult
  spearman: SpearmanResult
}

export type SmallSampleFlags = { fewPoints: boolean; wideInterval: boolean }

/** Throws on programmer errors: the two series must be paired and finite (use `correlate` to filter). */
function assertPairedFinite(xs: readonly number[], ys: readonly number[]): void {
  if (xs.length !== ys.length) {
    throw new RangeError(`paired series differ in length: ${xs.length} x values, ${ys.length} y values`)
  }
  for (const v of [...xs, ...ys]) {
    if (!Number.isFinite(v)) throw new RangeError(`non-finite value ${v}: filter pairs with correlate() first`)
  }
}

function mean(values: readonly number[]): number {
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

function isConstant(values: readonly number[]): boolean {
  return values.every((v) => v === values[0])
}

/**
 * Centred sums of squares and cross-products. The two-pass (mean first, then deviations) form
 * avoids the cancellation of Σxy − n·x̄·ȳ, which matters on data like NIST's Norris set.
 */
function centredSums(xs: readonly number[], ys: readonly number[]) {
  const mx = mean(xs)
  const my = mean(ys)
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i] - mx
    const dy = ys[i] - my
    sxx += dx * dx
    syy += dy * dy
    sxy += dx * dy
  }
  return { mx, my, sxx, syy, sxy }
}

/** Sample correlation coefficient, clamped to [−1, 1] against rounding, or a reason it has none. */
function correlationCoefficient(xs: readonly number[], ys: readonly number[]): number | NotComputedReason {
  if (xs.length < 3) return 'too_few_points'
  // Test constancy on the raw values: deviations of a constant series from its floating-point mean
  // can be tiny non-zero numbers rather than exact zeros.
  if (isConstant(xs) || isConstant(ys)) return 'zero_variance'
  const { sxx, syy, sxy } = centredSums(xs, ys)
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
}

/** t statistic of a correlation on n pairs (df = n − 2); null when |r| = 1. */
function tStatistic(r: number, n: number): number | null {
  if (Math.abs(r) === 1) return null
  return r * Math.sqrt((n - 2) / (1 - r * r))
}

/** Two-sided p-value of a correlation: 2·P(T ≤ −|t|) with T ~ Student's t on n − 2 df. */
function twoSidedP(t: number | null, n: number): number {
  if (t === null) return 0
  return Math.min(1, 2 * tCdf(-Math.abs(t), n - 2))
}

/**
 * Fisher z-transformation interval: atanh(r) ± Z_95/√(n−3), mapped back with tanh
 * (Fisher 1921; the usual approximation, standard error 1/√(n−3)). With n = 3 the standard error
 * is infinite and the interval is the whole [−1, 1]; with |r| = 1 it collapses to r.
 */
function fisherInterval(r: number, n: number): { ciLow: number; ciHigh: number } {
  if (Math.abs(r) === 1) return { ciLow: r, ciHigh: r }
  const z = Math.atanh(r)
  const halfWidth = Z_95 / Math.sqrt(n - 3)
  return { ciLow: Math.tanh(z - halfWidth), ciHigh: Math.tanh(z + halfWidth) }
}

/** Pearson product-moment correlation with its t-test p-value and Fisher 95% interval. */
export function pearson(xs: readonly number[], ys: readonly number[]): PearsonResult {
  assertPairedFinite(xs, ys)
  const n = xs.length
  const r = correlationCoefficient(xs, ys)
  if (typeof r === 'string') return { n, r: null, t: null, p: null, ciLow: null, ciHigh: null, reason: r }
  const t = tStatistic(r, n)
  return { n, r, t, p: twoSidedP(t, n), ...fisherInterval(r, n), reason: null }
}

/**
 * 1-based ranks with ties given the mean of the ranks they span ("fractional" or average ranks),
 * e.g. [10, 20, 20, 30] → [1, 2.5, 2.5, 4].
 */
export function averageRanks(values: readonly number[]): number[] {
  for (const v of values) {
    if (Number.isNaN(v)) throw new RangeError('cannot rank NaN')
  }
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b])
  const ranks = new Array<number>(values.length)
  let start = 0
  while (start < order.length) {
    let end = start
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++
    // Positions start..end (0-based) hold equal values: each gets the mean of ranks start+1..end+1.
    const rank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) ranks[order[k]] = rank
    start = end + 1
  }
  return ranks
}

/**
 * Spearman's rank correlation ρ, defined as the Pearson correlation of the average ranks, which is
 * exact with ties (the shortcut 1 − 6Σd²/(n(n²−1)) is not).
 *
 * Convention for p: the t approximation t = ρ·√((n−2)/(1−ρ²)) on n − 2 degrees of freedom, as in
 * SciPy's `spearmanr` and R's `cor.test(method = "spearman", exact = FALSE)`. For very small n an
 * exact permutation p-value would differ slightly; the dashboard flags n < 10 as few points anyway.
 */
export function spearman(xs: readonly number[], ys: readonly number[]): SpearmanResult {
  assertPairedFinite(xs, ys)
  const n = xs.length
  const rho = correlationCoefficient(averageRanks(xs), averageRanks(ys))
  if (typeof rho === 'string') return { n, rho: null, p: null, reason: rho }
  return { n, rho, p: twoSidedP(tStatistic(rho, n), n), reason: null }
}

/**
 * Correlates sentiment (x) with a KPI (y) over units (reps or teams), dropping units that lack a
 * usable value and saying how many were dropped and why. Each dropped pair is counted once, under
 * the first reason that applies in the order missingSentiment, missingKpi, nonFinite.
 */
export function correlate(pairs: readonly { x: number | null; y: number | null }[]): CorrelationReport {
  const excluded: ExclusionCounts = { missingSentiment: 0, missingKpi: 0, nonFinite: 0 }
  const xs: number[] = []
  const ys: number[] = []
  for (const { x, y } of pairs) {
    if (x === null) excluded.missingSentiment++
    else if (y === null) excluded.missingKpi++
    else if (!Number.isFinite(x) || !Number.isFinite(y)) excluded.nonFinite++
    else {
      xs.push(x)
      ys.push(y)
    }
  }
  return {
    n: xs.length,
    excluded: { ...excluded, total: pairs.length - xs.length },
    pearson: pearson(xs, ys),
    spearman: spearman(xs, ys),
  }
}

/**
 * Ordinary least-squares line y = intercept + slope·x, for drawing the fitted line on a scatter.
 * Null with fewer than two points or when every x is equal (the line would be vertical).
 */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit | null {
  assertPairedFinite(xs, ys)
  if (xs.length < 2 || isConstant(xs)) return null
  const { mx, my, sxx, sxy } = centredSums(xs, ys)
  const slope = sxy / sxx
  return { slope, intercept: my - slope * mx }
}

/**
 * Flags shown beside a correlation so that a figure on few points is read as such
 * (docs/architecture.md#the-performance-overlay).
 * A missing interval counts as wide: nothing bounds the correlation then.
 */
export function smallSampleWarning(n: number, ciLow: number | null, ciHigh: number | null): SmallSampleFlags {
  const width = ciLow === null || ciHigh === null ? Number.POSITIVE_INFINITY : ciHigh - ciLow
  return { fewPoints: n < FEW_POINTS_BELOW, wideInterval: width > WIDE_INTERVAL_WIDTH }
}

/**
 * Pure parts of an action's impact view: which periods are "before", "during" and "after", and
 * the intervals of the figures shown for them. No I/O.
 */
import { monthsPerPeriod, periodStart, shiftMonths } from './overlay'
import { Z_95 } from './statistics'

export type ImpactUnit = 'month' | 'quarter'
export type Phase = 'before' | 'during' | 'after'
export type ImpactPeriod = { period: string; phase: Phase; /** the period has not ended yet (today falls inside it) */ partial: boolean }

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)

/**
 * The periods of the view. `before`: the `count` whole periods before the one in which the action
 * was created. `after`: the period in which the action was done (or created, while it is not done)
 * and the `count − 1` following it — the period the action started in counts as after, so a
 * freshly created action already shows the figures of its first weeks. Periods between creation
 * and completion are `during`. Periods that have not started by `today` are left out.
 */
export function impactPeriods(input: { createdOn: string; pivotOn: string; unit: ImpactUnit; count: number; today: string }): { from: string; to: string; periods: ImpactPeriod[] } {
  const step = monthsPerPeriod[input.unit]
  const created = periodStart(input.createdOn, input.unit)
  const pivot = periodStart(input.pivotOn < input.createdOn ? input.createdOn : input.pivotOn, input.unit)
  const first = shiftMonths(created, -input.count * step)
  const endExclusive = shiftMonths(pivot, input.count * step)
  const periods: ImpactPeriod[] = []
  for (let p = first; p < endExclusive && p <= input.today; p = shiftMonths(p, step)) {
    const next = shiftMonths(p, step)
    periods.push({ period: p, phase: p < created ? 'before' : p < pivot ? 'during' : 'after', partial: input.today < dayBefore(next) })
  }
  const lastDay = dayBefore(endExclusive)
  return { from: first, to: lastDay < input.today ? lastDay : input.today, periods }
}

export type Interval = { low: number; high: number }

/**
 * Wilson score interval for a proportion (Wilson 1927; the interval recommended by Brown, Cai and
 * DasGupta 2001 over the Wald one, which collapses at 0 and 1 and undercovers on small n).
 * Null with no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval | null {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || trials < successes) {
    throw new RangeError(`a proportion needs whole numbers 0 ≤ successes ≤ trials, got ${successes}/${trials}`)
  }
  if (trials === 0) return null
  const p = successes / trials
  const z2 = z * z
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))
  // At 0 and n the bound is exactly 0 (or 1); say so rather than leave a rounding residue.
  return { low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === trials ? 1 : Math.min(1, centre + half) }
}

/**
 * 95% interval of a driver's mean answer when respondents may answer several questions of the
 * driver (or several rounds) in one period: the mean is Σy / Σm over respondents i with answer
 * sum y_i and count m_i, and its standard error is the cluster-robust (linearisation) one of a
 * ratio estimator, √( n/(n−1) · Σ(y_i − mean·m_i)² ) / Σm (Cochran, Sampling Techniques, §6.4).
 * With one answer per respondent it is the usual s/√n. Clamped to the 1–5 scale; null for n < 2.
 * `ss` is Σ(y_i − mean·m_i)², computed in SQL.
 */
export function clusteredMeanInterval(input: { n: number; answers: number; mean: number; ss: number }, z = Z_95): Interval | null {
  const { n, answers, mean, ss } = input
  if (n < 2 || answers === 0) return null
  const se = Math.sqrt((n / (n - 1)) * Math.max(0, ss)) / answers
  return { low: Math.max(1, mean - z * se), high: Math.min(5, mean + z * se) }
}

/**
 * Pulse drivers and their scoring (docs/architecture.md#surveys-and-scoring). A pulse question belongs to one driver; a
 * driver's score is the mean answer on the 5-point agreement scale and the share of favourable
 * answers (4 "agree" and 5 "strongly agree", the convention of Culture Amp and Glint).
 */
import { z } from 'zod'
import type { Locale } from '~/i18n/locale'

export const DRIVER_KEYS = [
  'engagement',
  'recognition',
  'workload',
  'tools_crm',
  'manager_support',
  'growth',
  'wellbeing',
  // The sales-specific drivers:
  'quota_fairness',
  'comp_plan_clarity',
  'lead_quality',
  'admin_burden',
] as const

export type DriverKey = (typeof DRIVER_KEYS)[number]

export const driverKeySchema = z.enum(DRIVER_KEYS, {
  error: `choose one of the drivers: ${DRIVER_KEYS.join(', ')}`,
})

export function isDriverKey(value: unknown): value is DriverKey {
  return driverKeySchema.safeParse(value).success
}

export const DRIVER_LABELS: Readonly<Record<DriverKey, Readonly<Record<Locale, string>>>> = {
  engagement: { en: 'Engagement', it: 'Coinvolgimento' },
  recognition: { en: 'Recognition', it: 'Riconoscimento' },
  workload: { en: 'Workload', it: 'Carico di lavoro' },
  tools_crm: { en: 'Tools and CRM', it: 'Strumenti e CRM' },
  manager_support: { en: 'Manager support', it: 'Supporto del responsabile' },
  growth: { en: 'Growth', it: 'Crescita professionale' },
  wellbeing: { en: 'Wellbeing', it: 'Benessere' },
  quota_fairness: { en: 'Quota fairness', it: 'Equità degli obiettivi di vendita' },
  comp_plan_clarity: { en: 'Compensation-plan clarity', it: 'Chiarezza del piano provvigionale' },
  lead_quality: { en: 'Lead quality', it: 'Qualità dei lead' },
  admin_burden: { en: 'Admin burden', it: 'Carico amministrativo' },
}

export const LIKERT_MIN = 1
export const LIKERT_MAX = 5
/** Lowest favourable answer on the 5-point scale; SQL uses it as `filter (where value >= 4)`. */
export const FAVOURABLE_MIN = 4

export type LikertAnswer = 1 | 2 | 3 | 4 | 5
/** How many answers gave each value; absent values count as 0. */
export type LikertDistribution = Readonly<Partial<Record<LikertAnswer, number>>>

export type DriverSummary = {
  n: number
  /** Mean answer, 1–5; null when there are no answers. */
  mean: number | null
  favourable: number
  /** favourable ÷ n, 0–1; null when there are no answers. */
  favourableShare: number | null
}

const LIKERT_VALUES: readonly LikertAnswer[] = [1, 2, 3, 4, 5]

export function isFavourable(answer: number): boolean {
  return answer >= FAVOURABLE_MIN
}

/** Mean and favourable share of a driver from the count of answers per value. */
export function driverSummary(distribution: LikertDistribution): DriverSummary {
  let n = 0
  let sum = 0
  let favourable = 0
  for (const value of LIKERT_VALUES) {
    const count = distribution[value] ?? 0
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`the count of answers ${value} must be a whole number ≥ 0, got ${count}`)
    }
    n += count
    sum += value * count
    if (isFavourable(value)) favourable += count
  }
  if (n === 0) return { n, mean: null, favourable: 0, favourableShare: null }
  return { n, mean: sum / n, favourable, favourableShare: favourable / n }
}

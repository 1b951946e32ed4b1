/**
 * Pure KPI formulas (docs/architecture.md#funnel-kpis) applied to figures the SQL engine has
 * already aggregated.
 * The null rule everywhere: a figure with nothing to measure is null, never 0 or NaN.
 */

export const periodUnits = ['week', 'month', 'quarter'] as const
export type PeriodUnit = (typeof periodUnits)[number]
export const groupBys = ['rep', 'team', 'org'] as const
export type GroupBy = (typeof groupBys)[number]
export type WinRateConvention = 'closed' | 'created'

/** The interval literal of one period for generate_series ('quarter' is not an interval unit). */
export const periodStep: Record<PeriodUnit, string> = { week: '1 week', month: '1 month', quarter: '3 months' }

/** Money to cents, half away from zero like PostgreSQL's round(numeric, 2). */
export function roundMoney(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value) * 100 + Number.EPSILON * 100) / 100
}

/** Rates are fractions 0–1 kept to four decimals (0.01 percentage points): enough for any screen. */
export function roundRate(value: number): number {
  return Math.round(value * 10_000) / 10_000
}

/** numerator ÷ denominator, or null when the denominator is zero or either side is missing. */
export function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator == null || denominator == null || denominator === 0) return null
  const value = numerator / denominator
  return Number.isFinite(value) ? value : null
}

/**
 * Win rate under the organisation's convention (settings.winRateConvention):
 * - closed (default, the HubSpot/Salesforce report convention): won ÷ (won + lost) among deals closed in the period;
 * - created: of the deals created in the period, the share won so far.
 */
export function winRate(
  input: { won: number; lost: number; createdCount: number; createdWon: number },
  convention: WinRateConvention,
): number | null {
  const r = exactWinRate(input, convention)
  return r == null ? null : roundRate(r)
}

/** The unrounded win rate, for formulas that multiply it (velocity, forecast) before rounding. */
export function exactWinRate(input: { won: number; lost: number; createdCount: number; createdWon: number }, convention: WinRateConvention): number | null {
  return convention === 'closed' ? ratio(input.won, input.won + input.lost) : ratio(input.createdWon, input.createdCount)
}

/**
 * Pipeline velocity (money per day) = open opportunities × win rate × average deal size ÷ mean
 * sales cycle in days — the standard formula (e.g. HubSpot, Salesforce "sales velocity").
 */
export function pipelineVelocity(input: { openCount: number; winRate: number | null; avgDealSize: number | null; meanCycleDays: number | null }): number | null {
  const { openCount, winRate: rate, avgDealSize, meanCycleDays } = input
  if (rate == null || avgDealSize == null || meanCycleDays == null || meanCycleDays <= 0) return null
  return roundMoney((openCount * rate * avgDealSize) / meanCycleDays)
}

/** Won amount ÷ target; null without a (positive) target. */
export function quotaAttainment(wonAmount: number, target: number | null): number | null {
  if (target == null || target <= 0) return null
  return roundRate(wonAmount / target)
}

export function leadConversionRate(created: number, converted: number): number | null {
  const r = ratio(converted, created)
  return r == null ? null : roundRate(r)
}

/** numeric strings from PostgreSQL (exact money) to JSON numbers; null stays null. */
export function toNumber(value: string | number | null | undefined): number | null {
  if (value == null) return null
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? n : null
}

/** The default window ending today: the current period and the `count - 1` before it. */
export function defaultWindow(unit: PeriodUnit, today: string, count = 12): { from: string; to: string } {
  const [y, m, d] = today.split('-').map(Number)
  const date = new Date(Date.UTC(y, m - 1, d))
  if (unit === 'week') {
    const monday = new Date(date)
    monday.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7) - 7 * (count - 1))
    return { from: monday.toISOString().slice(0, 10), to: today }
  }
  const months = unit === 'month' ? 1 : 3
  const startMonth = unit === 'month' ? m - 1 : Math.floor((m - 1) / 3) * 3
  const from = new Date(Date.UTC(y, startMonth - months * (count - 1), 1))
  return { from: from.toISOString().slice(0, 10), to: today }
}

/** How many periods a window spans, to refuse absurd requests (e.g. 30 years of weeks). */
export function periodCount(unit: PeriodUnit, from: string, to: string): number {
  const a = new Date(`${from}T00:00:00Z`)
  const b = new Date(`${to}T00:00:00Z`)
  if (unit === 'week') return Math.floor((b.getTime() - a.getTime()) / (7 * 86_400_000)) + 2
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1
  return unit === 'month' ? months : Math.ceil(months / 3) + 1
}

/** part ÷ whole as a rounded fraction, null when the whole is empty. */
export function share(part: number, whole: number): number | null {
  const r = ratio(part, whole)
  return r == null ? null : roundRate(r)
}

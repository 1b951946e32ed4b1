/**
 * Early-warning signals: the vocabulary shared by the detection job, the screens, the emails and
 * the API (free of server imports), and the pure comparison rules the detection applies to figures
 * that already passed the anonymity thresholds.
 */
import { z } from 'zod'
import type { KpiKey } from './overlay'

export const SIGNAL_KINDS = ['sentiment_and_kpi', 'response_rate', 'overdue_one_on_ones'] as const
export type SignalKind = (typeof SIGNAL_KINDS)[number]
export const SIGNAL_STATUSES = ['open', 'dismissed', 'actioned'] as const
export type SignalStatus = (typeof SIGNAL_STATUSES)[number]
export const SIGNAL_UNITS = ['month', 'quarter'] as const
export type SignalUnit = (typeof SIGNAL_UNITS)[number]

/**
 * The funnel KPIs a sentiment drop is checked against: figures where a fall is bad news. Lead
 * conversion is a cohort rate (leads of the period that converted, whenever they did), so the
 * period still running is never compared on it: its young leads have not had time to convert.
 */
export const SIGNAL_KPIS = ['win_rate', 'lead_conversion_rate', 'avg_deal_size'] as const satisfies readonly KpiKey[]
export type SignalKpi = (typeof SIGNAL_KPIS)[number]

/**
 * The least a period's KPI must rest on to be compared: closed deals for the win rate (created
 * deals under the "won ÷ created" convention), won deals for the average deal size, created leads
 * for lead conversion. Below that one deal moves the figure by ten points or more, so the first
 * days of a period (or a quiet team) would raise noise, not warnings.
 */
export const SIGNAL_KPI_MIN_BASE: Record<SignalKpi, number> = { win_rate: 10, avg_deal_size: 5, lead_conversion_rate: 10 }

/**
 * Overdue 1:1s build up when at least OVERDUE_MIN of a team's reports are overdue by their cadence
 * AND they are at least half of the team's reports: three overdue in a team of forty is routine,
 * one of two is a holiday; both together is a habit slipping.
 */
export const OVERDUE_MIN = 3
export const OVERDUE_MIN_SHARE = 0.5

export type SentimentKpiDetails = {
  enpsPeriodBefore: string
  enpsBefore: number
  enpsAfter: number
  enpsDrop: number
  kpi: SignalKpi
  /** 0: the KPI fell in the same period as the eNPS; 1: in the next one. */
  lag: 0 | 1
  kpiPeriodBefore: string
  kpiPeriod: string
  kpiBefore: number
  kpiAfter: number
  kpiDropPct: number
  currency: string
}
export type ResponseRateDetails = {
  surveyId: string
  surveyTitle: string
  roundBefore: string
  roundAfter: string
  opensBefore: string
  opensAfter: string
  rateBefore: number
  rateAfter: number
  drop: number
}
export type OverdueDetails = { overdue: number; reports: number }
export type SignalDetails = SentimentKpiDetails | ResponseRateDetails | OverdueDetails

export type SignalView = {
  id: string
  team: { id: string; name: string }
  kind: SignalKind
  periodUnit: 'week' | 'month' | 'quarter'
  period: string
  status: SignalStatus
  details: SignalDetails
  dismissedReason: string | null
  dismissedAt: string | null
  dismissedBy: string | null
  createdAt: string
}

const round1 = (x: number) => Math.round(x * 10) / 10

/** The relative fall from before to after in percent (positive when it fell); null without a positive base. */
export function relativeFallPct(before: number | null, after: number | null): number | null {
  if (before === null || after === null || !Number.isFinite(before) || !Number.isFinite(after) || before <= 0) return null
  return round1(((before - after) / before) * 100)
}

export type PeriodValue = { period: string; value: number }

/**
 * eNPS fell by at least `enpsDrop` points from the period before `period` to `period`, and a KPI
 * fell by at least `kpiDropPct` percent in the same step or in the next one. Returns the KPI with
 * the largest fall (the same period first on a tie), or null. `periods` is the ordered list of
 * period starts; absent values (suppressed or no data) never count.
 */
export function sentimentKpiDrop(
  input: { periods: string[]; period: string; enps: Map<string, number>; kpis: Map<SignalKpi, Map<string, number>>; enpsDrop: number; kpiDropPct: number; currency: string },
): SentimentKpiDetails | null {
  const i = input.periods.indexOf(input.period)
  if (i < 1) return null
  const before = input.enps.get(input.periods[i - 1])
  const after = input.enps.get(input.period)
  if (before === undefined || after === undefined) return null
  const enpsDrop = round1(before - after)
  if (enpsDrop < input.enpsDrop) return null
  let best: SentimentKpiDetails | null = null
  for (const lag of [0, 1] as const) {
    const from = input.periods[i - 1 + lag]
    const to = input.periods[i + lag]
    if (!from || !to) continue
    for (const kpi of SIGNAL_KPIS) {
      const values = input.kpis.get(kpi)
      const a = values?.get(from) ?? null
      const b = values?.get(to) ?? null
      const fall = relativeFallPct(a, b)
      if (fall === null || fall < input.kpiDropPct) continue
      if (!best || fall > best.kpiDropPct) {
        best = { enpsPeriodBefore: input.periods[i - 1], enpsBefore: before, enpsAfter: after, enpsDrop, kpi, lag, kpiPeriodBefore: from, kpiPeriod: to, kpiBefore: a!, kpiAfter: b!, kpiDropPct: fall, currency: input.currency }
      }
    }
  }
  return best
}

/** Whether a team's overdue 1:1s have built up (see OVERDUE_MIN). */
export function overdueBuildUp(overdue: number, reports: number): boolean {
  return reports > 0 && overdue >= OVERDUE_MIN && overdue / reports >= OVERDUE_MIN_SHARE
}

/** The dismiss form: a reason is required, so whoever reads the list later knows why it was set aside. */
export const dismissSchema = (t: { reasonRequired: string; reasonTooLong: string; unknownSignal: string }) =>
  z.object({
    intent: z.literal('dismiss'),
    signalId: z.uuid({ error: t.unknownSignal }),
    reason: z.string({ error: t.reasonRequired }).trim().min(1, { error: t.reasonRequired }).max(1000, { error: t.reasonTooLong }),
  })

/** GET /api/v1/signals and the list screen's filters. */
export const signalsQuerySchema = z
  .object({
    status: z.enum([...SIGNAL_STATUSES, 'all'], { error: 'status must be open, dismissed, actioned or all' }).default('open'),
    team: z.uuid({ error: 'team must be a team id (a UUID, as listed by GET /api/v1/teams)' }).optional(),
  })
  .strict()

/** Where "turn into an action" leads: the action form, prefilled from the signal. */
export function actionLink(signal: Pick<SignalView, 'id' | 'team' | 'kind' | 'details'>): string {
  const params = new URLSearchParams({ signal: signal.id, team: signal.team.id })
  if (signal.kind === 'sentiment_and_kpi') {
    params.set('kpi', (signal.details as SentimentKpiDetails).kpi)
    params.set('driver', 'enps')
  }
  return `/actions/new?${params.toString()}`
}

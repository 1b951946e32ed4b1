/**
 * A signal in words, for the list, the dashboard panel and the alert email alike (one wording in
 * every place). Pure: messages and Intl formatting only.
 */
import { messagesFor } from '~/i18n'
import { formatMoney, formatNumber, formatPercent } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import type { OverdueDetails, ResponseRateDetails, SentimentKpiDetails, SignalView } from './signals'

export function signalPeriodLabel(locale: Locale, period: string, unit: SignalView['periodUnit']): string {
  const [y, m] = period.split('-').map(Number)
  if (unit === 'quarter') return messagesFor(locale).signals.quarter({ q: Math.floor((m - 1) / 3) + 1, year: y })
  if (unit === 'month') return new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)))
  return period
}

function kpiFigure(locale: Locale, d: SentimentKpiDetails, value: number): string {
  return d.kpi === 'avg_deal_size' ? formatMoney(locale, value, d.currency) : formatPercent(locale, value, 1)
}

export function describeSignal(locale: Locale, signal: Pick<SignalView, 'kind' | 'details'>): string {
  const t = messagesFor(locale)
  if (signal.kind === 'sentiment_and_kpi') {
    const d = signal.details as SentimentKpiDetails
    return t.signals.describe.sentimentAndKpi({
      enpsBefore: formatNumber(locale, d.enpsBefore, 1),
      enpsAfter: formatNumber(locale, d.enpsAfter, 1),
      drop: formatNumber(locale, d.enpsDrop, 1),
      kpi: t.insights.kpis[d.kpi],
      kpiBefore: kpiFigure(locale, d, d.kpiBefore),
      kpiAfter: kpiFigure(locale, d, d.kpiAfter),
      kpiDrop: formatNumber(locale, d.kpiDropPct, 1),
      next: d.lag === 1,
    })
  }
  if (signal.kind === 'response_rate') {
    const d = signal.details as ResponseRateDetails
    return t.signals.describe.responseRate({ survey: d.surveyTitle, before: formatPercent(locale, d.rateBefore, 1), after: formatPercent(locale, d.rateAfter, 1), drop: formatNumber(locale, d.drop, 1) })
  }
  const d = signal.details as OverdueDetails
  return t.signals.describe.overdue({ overdue: d.overdue, reports: d.reports })
}

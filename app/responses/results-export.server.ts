/**
 * The CSV export of a survey's results: exactly the aggregates the results page shows (already
 * through applyThresholds), one line per figure, with suppressed groups as the notice only.
 */
import type { Locale } from '~/i18n/locale'
import { messagesFor } from '~/i18n'
import { type CsvCell, toCsv } from '~/ui/csv'
import { DRIVER_LABELS, isDriverKey } from './drivers'
import type { Maybe, SurveyResults } from './results.server'

export function resultsCsv(results: SurveyResults, locale: Locale): string {
  const t = messagesFor(locale).results
  const h = t.exportHeader
  const rows: CsvCell[][] = []
  const notice = (m: Maybe<unknown>) => (m.suppressed ? (m.reason === 'sibling_protection' ? t.siblingExplained : t.notEnough) : '')
  const roundOn = results.round?.opensOn ?? ''
  const driverName = (d: string) => (isDriverKey(d) ? DRIVER_LABELS[d][locale] : d)
  for (const g of results.byGroup) {
    if (g.responseRate) {
      rows.push(g.responseRate.suppressed ? [t.sections.responseRate, roundOn, g.group.name, t.responseRate, '', '', '', '', notice(g.responseRate)] : [t.sections.responseRate, roundOn, g.group.name, t.responseRate, g.responseRate.responded, g.responseRate.rate, '', '', `${g.responseRate.responded}/${g.responseRate.invited}`])
    }
    if (g.enps) {
      rows.push(
        g.enps.suppressed
          ? [t.sections.enps, roundOn, g.group.name, t.enps, '', '', '', '', notice(g.enps)]
          : [t.sections.enps, roundOn, g.group.name, t.enps, g.enps.n, g.enps.enps, g.enps.ciLow, g.enps.ciHigh, `${g.enps.promoters}/${g.enps.passives}/${g.enps.detractors}`],
      )
    }
  }
  for (const q of results.selected.questions) {
    if (!q.figures) continue
    const text = q.text[locale]
    rows.push(
      q.figures.suppressed
        ? [t.sections.question, roundOn, results.group.name, text, '', '', '', '', notice(q.figures)]
        : [t.sections.question, roundOn, results.group.name, text, q.figures.n, q.figures.mean, '', '', q.figures.distribution.map((d) => `${d.value}:${d.count}`).join(' ')],
    )
  }
  for (const cell of results.heatmap.cells) {
    const column = results.heatmap.columns.find((c) => (c.id ?? 'org') === cell.columnId)
    rows.push(
      cell.figures.suppressed
        ? [t.sections.driver, roundOn, column?.name ?? '', driverName(cell.driver), '', '', '', '', notice(cell.figures)]
        : [t.sections.driver, roundOn, column?.name ?? '', driverName(cell.driver), cell.figures.n, cell.figures.favourableShare, '', '', `${t.mean} ${cell.figures.mean}`],
    )
  }
  if (results.selected.comments.suppressed) rows.push([t.sections.comment, roundOn, results.group.name, '', '', '', '', '', notice(results.selected.comments)])
  else for (const comment of results.selected.comments.items) rows.push([t.sections.comment, roundOn, results.group.name, '', '', comment, '', '', ''])
  for (const point of results.trend) {
    if (!point.enps) continue
    rows.push(
      point.enps.suppressed
        ? [t.sections.trend, point.opensOn, results.group.name, t.enps, '', '', '', '', notice(point.enps)]
        : [t.sections.trend, point.opensOn, results.group.name, t.enps, point.enps.n, point.enps.enps, point.enps.ciLow, point.enps.ciHigh, ''],
    )
  }
  return toCsv([h.section, h.round, h.group, h.item, h.n, h.value, h.low, h.high, h.detail], rows)
}

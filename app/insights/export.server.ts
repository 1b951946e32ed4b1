/**
 * The dashboard as CSV: every aggregate the dashboard shows, and nothing else (it is built from the
 * same OverlayDashboard object, so a suppressed figure cannot appear here either). One long table
 * (section, group, period, measure, value…) so a spreadsheet can pivot it; cells go through
 * app/ui/csv.ts, which neutralises formulas (team names are user input).
 */
import { toCsv, type CsvCell } from '~/ui/csv'
import type { OverlayDashboard, Panel } from './overlay.server'
import { sentimentKey } from './overlay'

const HEADER = ['section', 'group', 'period', 'kpi_period', 'measure', 'value', 'ci_low', 'ci_high', 'n'] as const

export function dashboardCsv(d: OverlayDashboard): string {
  const sentiment = sentimentKey(d.filters.sentiment)
  const kpi = d.filters.kpi
  const rows: CsvCell[][] = []
  rows.push(['filters', d.groupName, `${d.filters.from}..${d.filters.to}`, `lag ${d.filters.lag} ${d.filters.period}`, 'segment', [d.filters.leadSource, d.filters.industry].filter(Boolean).join(' / ') || null, null, null, null])
  for (const row of d.trend) {
    const s = row.sentiment
    if (s && !s.suppressed) rows.push(['trend', d.groupName, row.period, null, sentiment, s.value, s.low, s.high, s.n])
    else if (s) rows.push(['trend', d.groupName, row.period, null, sentiment, 'not enough responses', null, null, null])
    rows.push(['trend', d.groupName, row.period, null, kpi, row.kpi, null, null, null])
  }
  if (d.responseRate.rate !== null) rows.push(['response_rate', d.groupName, `${d.filters.from}..${d.filters.to}`, null, 'responded/invited', d.responseRate.rate, null, null, d.responseRate.invited])
  const teamName = new Map(d.heatmap.teams.map((t) => [t.id, t.name]))
  for (const c of d.heatmap.cells) {
    const group = teamName.get(c.teamId) ?? c.teamId
    if (c.mean === null) rows.push(['heatmap', group, null, null, `driver:${c.driver}`, 'not enough responses', null, null, null])
    else {
      rows.push(['heatmap', group, null, null, `driver:${c.driver}:mean`, c.mean, null, null, c.n])
      rows.push(['heatmap', group, null, null, `driver:${c.driver}:favourable_share`, c.favourableShare, null, null, c.n])
    }
  }
  for (const level of ['period', 'team', 'rep'] as const) panelRows(rows, `correlation_${level}`, d.panels[level], d.groupName, sentiment, kpi)
  for (const team of d.teamSeries) panelRows(rows, 'correlation_period_by_team', team.panel, team.name, sentiment, kpi)
  return toCsv(HEADER, rows)
}

function panelRows(rows: CsvCell[][], section: string, p: Panel, group: string, sentiment: string, kpi: string) {
  if ('suppressed' in p) {
    rows.push([section, group, null, null, 'suppressed', p.reason, null, null, null])
    return
  }
  rows.push([section, group, null, null, 'pearson_r', p.pearson.r, p.pearson.ciLow, p.pearson.ciHigh, p.n])
  rows.push([section, group, null, null, 'pearson_t', p.pearson.t, null, null, p.n])
  rows.push([section, group, null, null, 'pearson_p', p.pearson.p, null, null, p.n])
  rows.push([section, group, null, null, 'spearman_rho', p.spearman.rho, null, null, p.n])
  rows.push([section, group, null, null, 'spearman_p', p.spearman.p, null, null, p.n])
  rows.push([section, group, null, null, 'excluded', p.excluded.total, null, null, null])
  if ('points' in p && p.points) {
    for (const pt of p.points) {
      const label = 'period' in pt ? group : pt.label
      const period = 'period' in pt ? pt.period : null
      const kpiPeriod = 'kpiPeriod' in pt ? pt.kpiPeriod : null
      const n = 'n' in pt ? pt.n : null
      rows.push([`${section}_point`, label, period, null, sentiment, pt.x, null, null, n])
      rows.push([`${section}_point`, label, period, kpiPeriod, kpi, pt.y, null, null, n])
    }
  }
}

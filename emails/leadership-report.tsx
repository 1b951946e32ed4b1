import { Button, Text } from '@react-email/components'
import { messagesFor } from '~/i18n'
import { formatDate, formatMoney, formatNumber, formatPercent } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import type { BenchmarkLine, FunnelLine, LeadershipData } from '~/insights/reports.server'
import { DRIVER_LABELS, isDriverKey } from '~/responses/drivers'
import { EmailLayout, bigButton, paragraph } from './layout'
import { DataTable, Empty, ReportSection, formatMonth, formatShortMonth } from './report-parts'

export type LeadershipReportProps = { locale: Locale; name: string; orgName: string; data: LeadershipData; printUrl: string }

export function leadershipReportSubject(locale: Locale, period: string) {
  return messagesFor(locale).reports.leadership.subject({ month: formatMonth(locale, period) })
}

type Metric = 'leadsCreated' | 'opportunitiesCreated' | 'won' | 'wonAmount' | 'winRate' | 'leadConversionRate' | 'salesCycleDaysMedian'
const METRICS: Metric[] = ['leadsCreated', 'opportunitiesCreated', 'won', 'wonAmount', 'winRate', 'leadConversionRate', 'salesCycleDaysMedian']

/**
 * The monthly report to hr and leaders, readable in the email itself: organisation eNPS with its
 * interval and driver means over six months, team eNPS above the threshold, the month's funnel
 * beside target and benchmark, the strongest team-level associations, open signals and actions.
 */
export function LeadershipReportEmail(props: LeadershipReportProps) {
  const all = messagesFor(props.locale)
  const t = all.reports
  const l = t.leadership
  const { data, locale } = props
  const date = (value: string) => formatDate(locale, value)
  const number = (value: number | null, digits = 0) => (value === null ? '—' : formatNumber(locale, value, digits))
  const percent = (value: number | null) => (value === null ? '—' : formatPercent(locale, value, 1))

  const value = (line: FunnelLine, metric: Metric): string => {
    switch (metric) {
      case 'wonAmount':
        return formatMoney(locale, line.wonAmount, line.currency)
      case 'winRate':
      case 'leadConversionRate':
        return percent(line[metric])
      case 'salesCycleDaysMedian':
        return number(line.salesCycleDaysMedian, 1)
      default:
        return number(line[metric])
    }
  }
  const benchmark = (metric: Metric): string => {
    const b = data.benchmarks.find((x: BenchmarkLine) => x.metric === metric)
    if (!b) return '—'
    const figure = metric === 'salesCycleDaysMedian' ? number(b.value, 0) : percent(b.value)
    return `${figure} (${b.source}${b.year ? `, ${b.year}` : ''})`
  }
  const target = (line: FunnelLine, metric: Metric): string => {
    if (metric !== 'wonAmount' || line.target === null) return '—'
    const share = line.quotaAttainment === null ? '' : ` · ${l.quota({ share: formatPercent(locale, line.quotaAttainment, 0) })}`
    return `${formatMoney(locale, line.target, line.currency)}${share}`
  }

  return (
    <EmailLayout locale={locale} preheader={l.preheader} footer={all.email.footer}>
      <Text style={paragraph}>{t.greeting({ name: props.name })}</Text>
      <Text style={paragraph}>{l.intro({ month: formatMonth(locale, data.period), org: props.orgName })}</Text>

      <ReportSection title={l.enpsTrend}>
        <DataTable
          caption={l.enpsTrend}
          headers={[t.month, t.enps, t.ci, t.respondents]}
          numeric={[1, 2, 3]}
          rows={data.enpsTrend.map((p) =>
            p.figures
              ? [formatMonth(locale, p.period), number(p.figures.enps), `${number(p.figures.ciLow)} … ${number(p.figures.ciHigh)}`, number(p.figures.n)]
              : [formatMonth(locale, p.period), p.suppressed ? t.notEnough : '—', '—', '—'],
          )}
        />
      </ReportSection>

      <ReportSection title={l.driverTrends}>
        {data.driverTrends.length ? (
          <DataTable
            caption={l.driverTrends}
            headers={[t.digest.driver, ...data.months.map((m) => formatShortMonth(locale, m))]}
            numeric={data.months.map((_, i) => i + 1)}
            rows={data.driverTrends.map((d) => [isDriverKey(d.driver) ? DRIVER_LABELS[d.driver][locale] : d.driver, ...d.points.map((p) => number(p.mean, 2))])}
          />
        ) : (
          <Empty>{l.noDrivers}</Empty>
        )}
      </ReportSection>

      <ReportSection title={l.teams} note={data.hiddenTeams ? l.hiddenTeams({ count: data.hiddenTeams }) : undefined}>
        {data.teams.length ? (
          <DataTable
            caption={l.teams}
            headers={[t.team, t.enps, t.ci, t.respondents]}
            numeric={[1, 2, 3]}
            rows={data.teams.map((team) => [team.name, number(team.figures.enps), `${number(team.figures.ciLow)} … ${number(team.figures.ciHigh)}`, number(team.figures.n)])}
          />
        ) : (
          <Empty>{l.noTeams}</Empty>
        )}
      </ReportSection>

      <ReportSection title={l.funnel}>
        {data.funnel.length ? (
          data.funnel.map((line) => (
            <DataTable
              key={line.currency}
              caption={`${l.funnel} · ${line.currency}`}
              headers={[t.kpi, l.thisMonth, l.target, l.benchmark]}
              numeric={[1]}
              rows={METRICS.map((m) => [t.funnelKpis[m], value(line, m), target(line, m), benchmark(m)])}
            />
          ))
        ) : (
          <Empty>{l.noFunnel}</Empty>
        )}
      </ReportSection>

      <ReportSection title={l.associations} note={l.associationsNote({ from: date(data.window.from), to: date(data.window.to) })}>
        {data.associations.length ? (
          <DataTable
            caption={l.associations}
            headers={[t.kpi, 'r', 'p', l.teamsCount]}
            numeric={[1, 2, 3]}
            rows={data.associations.map((a) => [`${t.enps} × ${all.insights.kpis[a.kpi]}`, number(a.r, 2), number(a.p, 3), number(a.n)])}
          />
        ) : (
          <Empty>{l.noAssociations}</Empty>
        )}
      </ReportSection>

      <ReportSection title={l.signals}>
        {data.signals.length ? (
          <DataTable caption={l.signals} headers={[t.team, t.signal, t.period]} rows={data.signals.map((s) => [s.teamName, t.signalKinds[s.kind], date(s.period)])} />
        ) : (
          <Empty>{l.noSignals}</Empty>
        )}
      </ReportSection>

      <ReportSection title={l.actions}>
        {data.actions.length ? (
          <DataTable
            caption={l.actions}
            headers={[t.action, t.team, t.owner, t.due, t.status]}
            rows={data.actions.map((a) => [a.title, a.teamName ?? t.organisation, a.ownerName ?? '—', a.dueOn ? date(a.dueOn) : '—', t.actionStatus[a.status]])}
          />
        ) : (
          <Empty>{l.noActions}</Empty>
        )}
      </ReportSection>

      <Button href={props.printUrl} style={{ ...bigButton, marginTop: 20 }}>
        {t.printButton}
      </Button>
    </EmailLayout>
  )
}

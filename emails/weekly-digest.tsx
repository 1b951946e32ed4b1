import { Button, Link, Text } from '@react-email/components'
import { messagesFor } from '~/i18n'
import { formatDate, formatMoney, formatNumber, formatPercent } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import type { DigestData, KpiChange } from '~/insights/reports.server'
import { DRIVER_LABELS, isDriverKey } from '~/responses/drivers'
import { EmailLayout, bigButton, paragraph } from './layout'
import { DataTable, Empty, ReportSection } from './report-parts'

export type WeeklyDigestProps = {
  locale: Locale
  name: string
  data: DigestData
  /** The notable-change rule's threshold, as a fraction (0.1 = 10%). */
  notableChange: number
  printUrl: string
  optOutUrl: string
}

export function weeklyDigestSubject(locale: Locale, period: string) {
  return messagesFor(locale).reports.digest.subject({ week: formatDate(locale, period) })
}

function kpiValue(locale: Locale, change: KpiChange, value: number) {
  if (change.kpi === 'winRate') return formatPercent(locale, value, 1)
  if (change.kpi === 'wonAmount' && change.currency) return formatMoney(locale, value, change.currency)
  return formatNumber(locale, value)
}

/**
 * The Monday digest of a manager's teams: their latest results (or "not enough responses"),
 * notable KPI changes, overdue 1:1s with their direct reports, open actions and new signals.
 */
export function WeeklyDigestEmail(props: WeeklyDigestProps) {
  const all = messagesFor(props.locale)
  const t = all.reports
  const d = t.digest
  const { data, locale } = props
  const date = (value: string) => formatDate(locale, value)
  const signed = (fraction: number) => `${fraction > 0 ? '+' : ''}${formatPercent(locale, fraction, 0)}`
  const withResults = data.teams.filter((team) => team.result !== null)
  const driverRows = withResults.flatMap((team) =>
    team.result && !team.result.suppressed
      ? team.result.drivers.map((dr) => [team.name, isDriverKey(dr.driver) ? DRIVER_LABELS[dr.driver][locale] : dr.driver, formatNumber(locale, dr.mean, 2), formatPercent(locale, dr.favourableShare, 0)])
      : [],
  )
  const changes = data.teams.flatMap((team) => team.kpiChanges.map((c) => ({ team: team.name, c })))
  return (
    <EmailLayout locale={locale} preheader={d.preheader} footer={all.email.footer}>
      <Text style={paragraph}>{t.greeting({ name: props.name })}</Text>
      <Text style={paragraph}>{d.intro({ week: date(data.period) })}</Text>
      {data.teams.length === 0 ? <Empty>{d.noTeams}</Empty> : null}

      {data.teams.length ? (
        <ReportSection title={d.results} note={d.resultsNote}>
          {withResults.length ? (
            <DataTable
              caption={d.results}
              headers={[t.team, d.survey, d.round, t.respondents, t.enps, t.ci]}
              numeric={[3, 4, 5]}
              rows={withResults.map((team) => {
                const r = team.result!
                if (r.suppressed) return [team.name, r.surveyTitle, date(r.roundOn), t.notEnough, t.notEnough, '—']
                return [
                  team.name,
                  r.surveyTitle,
                  date(r.roundOn),
                  formatNumber(locale, r.respondents),
                  r.enps ? formatNumber(locale, r.enps.enps, 0) : '—',
                  r.enps ? `${formatNumber(locale, r.enps.ciLow, 0)} … ${formatNumber(locale, r.enps.ciHigh, 0)}` : '—',
                ]
              })}
            />
          ) : (
            <Empty>{d.noResults}</Empty>
          )}
          {driverRows.length ? <DataTable caption={d.drivers} headers={[t.team, d.driver, d.mean, d.favourable]} numeric={[2, 3]} rows={driverRows} /> : null}
        </ReportSection>
      ) : null}

      {data.teams.length ? (
        <ReportSection
          title={d.kpiChanges}
          note={d.kpiRule({
            from: date(data.currentWindow.from),
            to: date(data.currentWindow.to),
            previousFrom: date(data.previousWindow.from),
            previousTo: date(data.previousWindow.to),
            threshold: formatPercent(locale, props.notableChange, 0),
          })}
        >
          {changes.length ? (
            <DataTable
              caption={d.kpiChanges}
              headers={[t.team, t.kpi, d.previous, d.current, d.change]}
              numeric={[2, 3, 4]}
              rows={changes.map(({ team, c }) => [team, d.kpis[c.kpi], kpiValue(locale, c, c.previous), kpiValue(locale, c, c.current), signed(c.change)])}
            />
          ) : (
            <Empty>{d.noKpiChanges}</Empty>
          )}
        </ReportSection>
      ) : null}

      <ReportSection title={d.overdue} note={d.overdueNote}>
        {data.overdueOneOnOnes.length ? (
          <DataTable
            caption={d.overdue}
            headers={[d.person, d.lastHeld]}
            rows={data.overdueOneOnOnes.map((o) => [o.name, o.lastHeldAt ? date(o.lastHeldAt) : t.never])}
          />
        ) : (
          <Empty>{d.noOverdue}</Empty>
        )}
      </ReportSection>

      <ReportSection title={d.actions}>
        {data.actions.length ? (
          <DataTable
            caption={d.actions}
            headers={[t.action, t.team, t.owner, t.due, t.status]}
            rows={data.actions.map((a) => [a.title, a.teamName ?? t.organisation, a.ownerName ?? '—', a.dueOn ? date(a.dueOn) : '—', t.actionStatus[a.status]])}
          />
        ) : (
          <Empty>{d.noActions}</Empty>
        )}
      </ReportSection>

      <ReportSection title={d.signals}>
        {data.signals.length ? (
          <DataTable caption={d.signals} headers={[t.team, t.signal, t.period]} rows={data.signals.map((s) => [s.teamName, t.signalKinds[s.kind], date(s.period)])} />
        ) : (
          <Empty>{d.noSignals}</Empty>
        )}
      </ReportSection>

      <Button href={props.printUrl} style={{ ...bigButton, marginTop: 20 }}>
        {t.printButton}
      </Button>
      <Text style={{ ...paragraph, fontSize: 13, color: '#6b7280', marginTop: 20 }}>
        {d.optOut} <Link href={props.optOutUrl}>{props.optOutUrl}</Link>
      </Text>
    </EmailLayout>
  )
}

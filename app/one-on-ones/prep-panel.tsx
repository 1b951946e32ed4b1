import { Form } from '@remix-run/react'
import type { Messages } from '~/i18n'
import { formatDate, formatMoney, formatNumber, formatPercent } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { useLocale, useT } from '~/i18n/use-t'
import { DataTable } from '~/ui/data-table'
import { Button, Card } from '~/ui/page'
import type { PrepPanel } from './prep.server'
import type { Suggestion } from './suggestions'

function suggestionText(t: Messages, locale: Locale, s: Suggestion): string {
  switch (s.kind) {
    case 'win-rate-down':
      return t.oneOnOnes.prep.winRateDown({ previous: formatPercent(locale, s.previous), current: formatPercent(locale, s.current), points: formatNumber(locale, s.points, 0) })
    case 'sales-cycle-up':
      return t.oneOnOnes.prep.salesCycleUp({ previous: formatNumber(locale, s.previous, 0), current: formatNumber(locale, s.current, 0) })
    case 'large-deal-overdue':
      return t.oneOnOnes.prep.largeDealOverdue({ name: s.deal.name, amount: formatMoney(locale, s.deal.amount, s.deal.currency), date: formatDate(locale, s.deal.expectedCloseOn) })
  }
}

/** The manager's prep panel: the report's quarter figures, overdue deals, suggested talking points and team sentiment. */
export function PrepPanelCard(props: { prep: PrepPanel; reportName: string; held: boolean }) {
  const t = useT()
  const locale = useLocale()
  const p = t.oneOnOnes.prep
  const { prep } = props
  const pct = (v: number | null) => (v === null ? p.noData : formatPercent(locale, v))
  const money = (v: number | null) => (v === null ? p.noData : formatMoney(locale, v, prep.currency))
  const rows: [string, string, string][] = [
    [p.winRate, pct(prep.current.winRate), pct(prep.previous.winRate)],
    [p.wonDeals, `${prep.current.won} / ${prep.current.lost}`, `${prep.previous.won} / ${prep.previous.lost}`],
    [
      p.salesCycle,
      prep.current.salesCycleDaysMedian === null ? p.noData : formatNumber(locale, prep.current.salesCycleDaysMedian, 0),
      prep.previous.salesCycleDaysMedian === null ? p.noData : formatNumber(locale, prep.previous.salesCycleDaysMedian, 0),
    ],
    [p.wonAmount, money(prep.current.wonAmount), money(prep.previous.wonAmount)],
    [p.target, money(prep.current.target), money(prep.previous.target)],
    [p.attainment, pct(prep.current.attainment), pct(prep.previous.attainment)],
  ]
  return (
    <Card title={p.title}>
      <p className="mb-3 text-sm text-slate-700">{p.intro({ name: props.reportName })}</p>
      <DataTable
        variant="compact"
        scroll={false}
        className="mb-4"
        rowHeaders
        columns={[p.metric, { header: p.current, align: 'right', numeric: true }, { header: p.previous, align: 'right', numeric: true }]}
        rows={rows}
        rowKeys={rows.map(([label]) => label)}
      />
      {prep.overdueDeals.length ? (
        <>
          <h3 className="mb-1 font-semibold">{p.overdueDeals}</h3>
          <ul className="mb-4 text-sm">
            {prep.overdueDeals.map((d) => (
              <li key={d.id}>
                {d.name} · {formatMoney(locale, d.amount, d.currency)} · {formatDate(locale, d.expectedCloseOn)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="mb-2 font-semibold">{p.suggestions}</h3>
      {prep.suggestions.length === 0 ? (
        <p className="text-sm text-slate-600">{p.noSuggestions}</p>
      ) : (
        <ul className="space-y-2">
          {prep.suggestions.map((s, i) => {
            const text = suggestionText(t, locale, s)
            return (
              <li key={i} className="rounded border border-amber-200 bg-amber-50 p-2 text-sm">
                <p>{text}</p>
                {props.held ? null : (
                  <Form method="post" className="mt-1">
                    <input type="hidden" name="intent" value="add-agenda" />
                    <input type="hidden" name="text" value={text.slice(0, 500)} />
                    <Button variant="secondary" className="min-h-8 px-2 py-1">
                      {p.addToAgenda}
                    </Button>
                  </Form>
                )}
              </li>
            )
          })}
        </ul>
      )}
      <h3 className="mb-1 mt-4 font-semibold">{p.sentimentTitle}</h3>
      {prep.teamSentiment === null ? (
        <p className="text-sm text-slate-600">{p.sentimentNoTeam}</p>
      ) : prep.teamSentiment.shown ? (
        <p className="text-sm">
          {p.sentimentEnps({
            team: prep.teamSentiment.teamName,
            enps: formatNumber(locale, prep.teamSentiment.enps, 0),
            n: prep.teamSentiment.n,
            low: formatNumber(locale, prep.teamSentiment.ciLow, 0),
            high: formatNumber(locale, prep.teamSentiment.ciHigh, 0),
          })}
        </p>
      ) : (
        <p className="text-sm text-slate-600">
          {prep.teamSentiment.teamName}: {t.common.notEnoughResponses}
        </p>
      )}
      <p className="mt-1 text-xs text-slate-600">{p.sentimentHint}</p>
    </Card>
  )
}

import { DEFAULT_THRESHOLDS } from './anonymity'
import { Form, Link, useLocation } from '@remix-run/react'
import type { Messages } from '~/i18n'
import { formatDate, formatNumber, formatPercent } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { useLocale, useT } from '~/i18n/use-t'
import { DriverActionLinks, EnpsActionLink } from '~/insights/action-links'
import { type ReplyActionData, CommentThreadsList } from '~/replies/comment-threads'
import type { CommentThreads } from '~/replies/types'
import { BarChart } from '~/ui/charts/bar-chart'
import { HeatmapTable } from '~/ui/charts/heatmap-table'
import { LineBandChart } from '~/ui/charts/line-band-chart'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { DRIVER_LABELS, isDriverKey } from './drivers'
import type { Hidden, SurveyResults } from './results.server'

function SuppressedNotice(props: { hidden: Hidden; threshold: number }) {
  const t = useT()
  return <p className="text-sm text-slate-600">{props.hidden.reason === 'sibling_protection' ? t.results.siblingExplained : props.hidden.reason === 'incomplete_bucket' ? t.results.incompleteExplained : t.results.notEnoughExplained({ threshold: props.threshold })}</p>
}

const driverName = (d: string | null, locale: Locale) => (d && isDriverKey(d) ? DRIVER_LABELS[d][locale] : (d ?? ''))

function answerLabel(t: Messages, value: number, options: { en: string; it: string }[] | null, locale: Locale) {
  if (options && options[value - 1]) return options[value - 1][locale]
  return String(value)
}

/** A survey's results for one round and group: figures above the thresholds, trends, heatmaps, comments with their replies. */
export function SurveyResultsView(props: { results: SurveyResults; comments: CommentThreads | null; replyResult: ReplyActionData | undefined }) {
  const t = useT()
  const locale = useLocale()
  const location = useLocation()
  const { results: r, comments, replyResult } = props
  const threshold = r.round?.thresholdScores ?? DEFAULT_THRESHOLDS.thresholdScores
  const pct = (x: number) => formatPercent(locale, x, 0)
  return (
    <>
      <PageHeader
        title={r.survey.title}
        description={`${t.results.kinds[r.survey.kind]} · ${t.results.privacy[r.survey.privacy]}${r.survey.imported ? ` · ${t.results.imported}` : ''}`}
        actions={
          <a className="inline-flex min-h-10 items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold" href={`/results/${r.survey.id}/export.csv${location.search}`}>
            {t.results.exportCsv}
          </a>
        }
      />
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label={t.results.filters}>
        <label className="grid text-sm">
          <span className="font-medium">{t.results.round}</span>
          <select name="round" defaultValue={r.round?.id ?? ''} className="min-h-10 rounded-md border border-slate-300 px-2">
            {r.rounds.map((round) => (
              <option key={round.id} value={round.id}>
                {formatDate(locale, round.opensOn)} ({round.status === 'open' ? t.results.open : t.results.closed})
              </option>
            ))}
          </select>
        </label>
        <label className="grid text-sm">
          <span className="font-medium">{t.results.team}</span>
          <select name="team" defaultValue={r.group.id ?? ''} className="min-h-10 rounded-md border border-slate-300 px-2">
            {r.groups.map((g) => (
              <option key={g.id ?? 'org'} value={g.id ?? ''}>
                {g.type === 'org' ? t.results.allOrganisation : g.name}
              </option>
            ))}
          </select>
        </label>
        <Button variant="secondary">{t.results.apply}</Button>
      </Form>
      {!r.round ? <Notice>{t.results.noRounds}</Notice> : null}
      {r.round?.status === 'open' ? <Notice>{t.results.openRound}</Notice> : null}
      {r.participation && r.participation.length ? (
        <Card title={t.results.participation} className="mb-6">
          <p className="mb-2 text-sm text-slate-600">{t.results.participationNote}</p>
          <ul className="grid gap-1 text-sm">
            {r.participation.map((p) => (
              <li key={p.group.id ?? 'org'}>
                <span className="font-medium">{p.group.type === 'org' ? t.results.allOrganisation : p.group.name}</span>: {t.results.participationRow({ responded: p.responded, invited: p.invited })}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <div className="grid gap-6">
        <Card title={`${t.results.thisRound}: ${r.round ? formatDate(locale, r.round.opensOn) : '—'} · ${r.group.type === 'org' ? t.results.allOrganisation : r.group.name}`}>
          {r.selected.respondents.suppressed ? (
            <SuppressedNotice hidden={r.selected.respondents} threshold={threshold} />
          ) : (
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <div>
                <dt className="text-sm text-slate-600">{t.results.respondents}</dt>
                <dd className="text-2xl font-bold">{r.selected.respondents.n}</dd>
              </div>
              {r.selected.responseRate && !r.selected.responseRate.suppressed ? (
                <div>
                  <dt className="text-sm text-slate-600">{t.results.responseRate}</dt>
                  <dd className="text-2xl font-bold">{pct(r.selected.responseRate.rate)}</dd>
                </div>
              ) : null}
              {r.selected.enps && !r.selected.enps.suppressed ? (
                <>
                  <div>
                    <dt className="text-sm text-slate-600">{t.results.enps}</dt>
                    <dd className="text-2xl font-bold">{formatNumber(locale, r.selected.enps.enps, 0)}</dd>
                    <dd className="text-xs text-slate-600">
                      {t.results.ci}: {formatNumber(locale, r.selected.enps.ciLow, 0)} … {formatNumber(locale, r.selected.enps.ciHigh, 0)} · n = {r.selected.enps.n}
                    </dd>
                    <dd>
                      <EnpsActionLink surveyId={r.survey.id} roundId={r.round?.id} teamId={r.group.id} />
                    </dd>
                  </div>
                  <div className="text-sm">
                    <dt className="sr-only">{t.results.distribution}</dt>
                    <dd>{t.results.promoters}: {r.selected.enps.promoters}</dd>
                    <dd>{t.results.passives}: {r.selected.enps.passives}</dd>
                    <dd>{t.results.detractors}: {r.selected.enps.detractors}</dd>
                  </div>
                </>
              ) : r.selected.enps ? (
                <SuppressedNotice hidden={r.selected.enps as Hidden} threshold={threshold} />
              ) : null}
            </dl>
          )}
        </Card>

        {r.byGroup.length > 1 ? (
          <Card title={t.results.byGroup}>
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <thead>
                  <tr className="text-left">
                    <th scope="col" className="p-2">{t.results.group}</th>
                    <th scope="col" className="p-2">{t.results.respondents}</th>
                    <th scope="col" className="p-2">{t.results.responseRate}</th>
                    <th scope="col" className="p-2">{t.results.enps}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.byGroup.map((g) => (
                    <tr key={g.group.id ?? 'org'} className="border-t border-slate-100">
                      <th scope="row" className="p-2 text-left font-normal">{g.group.type === 'org' ? t.results.allOrganisation : g.group.name}</th>
                      {g.respondents.suppressed ? (
                        <td colSpan={3} className="p-2 text-slate-600">{t.results.notEnough}</td>
                      ) : (
                        <>
                          <td className="p-2">{g.respondents.n}</td>
                          <td className="p-2">{g.responseRate && !g.responseRate.suppressed ? `${pct(g.responseRate.rate)} (${g.responseRate.responded}/${g.responseRate.invited})` : '—'}</td>
                          <td className="p-2">{g.enps === null ? '—' : g.enps.suppressed ? t.results.notEnough : `${formatNumber(locale, g.enps.enps, 0)} [${formatNumber(locale, g.enps.ciLow, 0)} … ${formatNumber(locale, g.enps.ciHigh, 0)}]`}</td>
                        </>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        ) : null}

        {r.trend.some((p) => p.enps) ? (
          <Card title={t.results.trend}>
            <LineBandChart
              caption={`${t.results.trend}: ${t.results.enps}`}
              domain={[-100, 100]}
              format={(n) => formatNumber(locale, n, 1)}
              labels={{ x: t.results.round, value: t.results.enps, band: t.results.ci }}
              data={r.trend.map((p) => ({
                label: formatDate(locale, p.opensOn),
                value: p.enps && !p.enps.suppressed ? p.enps.enps : null,
                low: p.enps && !p.enps.suppressed ? p.enps.ciLow : null,
                high: p.enps && !p.enps.suppressed ? p.enps.ciHigh : null,
                note: t.results.notEnough,
              }))}
            />
          </Card>
        ) : null}

        {r.selected.questions.some((q) => q.figures) ? (
          <Card title={t.results.questions}>
            <div className="grid gap-6">
              {r.selected.questions
                .filter((q) => q.figures)
                .map((q) => (
                  <section key={q.key} aria-label={q.text[locale]}>
                    <h3 className="font-medium">{q.text[locale]}</h3>
                    <p className="text-xs text-slate-600">{driverName(q.driver, locale)}</p>
                    {q.figures!.suppressed ? (
                      <SuppressedNotice hidden={q.figures as Hidden} threshold={threshold} />
                    ) : (
                      <>
                        <p className="text-sm">
                          {t.results.mean}: {formatNumber(locale, q.figures!.mean, 2)} · n = {q.figures!.n}
                        </p>
                        <BarChart
                          caption={`${t.results.distribution}: ${q.text[locale]}`}
                          labels={{ x: t.results.value, value: t.results.count }}
                          data={q.figures!.distribution.map((d) => ({ label: answerLabel(t, d.value, q.options, locale), value: d.count }))}
                        />
                      </>
                    )}
                  </section>
                ))}
            </div>
          </Card>
        ) : null}

        {r.heatmap.drivers.length ? (
          <Card title={t.results.heatmap}>
            <HeatmapTable
              caption={t.results.heatmapCaption}
              rowHeader={t.results.driver}
              rows={r.heatmap.drivers.map((d) => ({ id: d, label: driverName(d, locale) }))}
              columns={r.heatmap.columns.map((c) => ({ id: c.id ?? 'org', label: c.type === 'org' ? t.results.allOrganisation : c.name }))}
              cells={r.heatmap.cells.map((c) => ({
                row: c.driver,
                column: c.columnId,
                share: c.figures.suppressed ? null : c.figures.favourableShare,
                text: c.figures.suppressed ? t.results.notEnough : `${pct(c.figures.favourableShare)} (${formatNumber(locale, c.figures.mean, 1)})`,
              }))}
            />
            <DriverActionLinks surveyId={r.survey.id} roundId={r.round?.id} teamId={r.group.id} drivers={r.heatmap.drivers} />
          </Card>
        ) : null}

        {r.driverTrend.drivers.length && r.driverTrend.columns.length > 1 ? (
          <Card title={t.results.driverTrend}>
            <HeatmapTable
              caption={t.results.heatmapCaption}
              rowHeader={t.results.driver}
              rows={r.driverTrend.drivers.map((d) => ({ id: d, label: driverName(d, locale) }))}
              columns={r.driverTrend.columns.slice(-12).map((c) => ({ id: c.id, label: formatDate(locale, c.opensOn) }))}
              cells={r.driverTrend.cells.map((c) => ({
                row: c.driver,
                column: c.columnId,
                share: c.figures.suppressed ? null : c.figures.favourableShare,
                text: c.figures.suppressed ? t.results.notEnough : pct(c.figures.favourableShare),
              }))}
            />
          </Card>
        ) : null}

        <Card title={t.results.comments}>
          {r.selected.comments.suppressed ? (
            <p className="text-sm text-slate-600">{t.results.commentsHidden({ threshold: r.round?.thresholdComments ?? DEFAULT_THRESHOLDS.thresholdComments })}</p>
          ) : r.selected.comments.items.length === 0 ? (
            <p className="text-sm text-slate-600">{t.results.noComments}</p>
          ) : (
            <>
              <p className="mb-2 text-xs text-slate-600">{t.results.commentsNote}</p>
              {comments ? (
                <CommentThreadsList locale={locale} threads={comments} actionData={replyResult} />
              ) : (
                <ul className="grid gap-2">
                  {r.selected.comments.items.map((text, i) => (
                    <li key={i} className="rounded-md bg-slate-50 p-3 text-sm">{text}</li>
                  ))}
                </ul>
              )}
            </>
          )}
        </Card>

        {r.identified ? (
          <Card title={t.results.identified}>
            <p className="mb-2 text-xs text-slate-600">{t.results.identifiedNote}</p>
            <table className="w-full text-sm">
              <thead>
                <tr className="text-left">
                  <th scope="col" className="p-2">{t.results.person}</th>
                  <th scope="col" className="p-2">{t.results.answers}</th>
                </tr>
              </thead>
              <tbody>
                {r.identified.map((p, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    <th scope="row" className="p-2 text-left font-normal">{p.name}</th>
                    <td className="p-2">{p.answers.map((a) => `${a.key}: ${a.value ?? a.text ?? ''}`).join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        ) : null}
        <p>
          <Link to="/results" className="text-brand-700 underline">{t.common.actions.back}</Link>
        </p>
      </div>
    </>
  )
}

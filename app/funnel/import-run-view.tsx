import { type SubmissionResult, getFormProps } from '@conform-to/react'
import { Form, Link, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { formatNumber, formatPercent } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { DataTable } from '~/ui/data-table'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'
import { importRunForms } from './import-run-forms'
import type { ImportRunPageData } from './import-run.server'

const RUNNING = new Set(['uploaded', 'previewing', 'committing'])

function Count(props: { label: string; value: number; tone?: string }) {
  const locale = useLocale()
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{props.label}</dt>
      <dd className={`text-2xl font-bold tabular-nums ${props.tone ?? ''}`}>{formatNumber(locale, props.value)}</dd>
    </div>
  )
}

/** What the page's action answers when it refuses a form: which form, and Conform's reply. */
export type ImportRunActionData = { intent: keyof typeof importRunForms | null; result: SubmissionResult<string[]> } | undefined

/** A CRM import's page: its progress while it runs, the mapping step, the preview to commit, and the rejected rows. */
export function ImportRunView(props: { run: ImportRunPageData; actionData: ImportRunActionData }) {
  const t = useT()
  const locale = useLocale()
  const { run, actionData } = props
  const revalidator = useRevalidator()
  const [mapForm] = useZodForm(importRunForms.map(), { id: 'map', lastResult: actionData?.intent === 'map' ? actionData.result : undefined })
  const refusal = actionData?.result.error?.[''] ?? null
  const m = t.funnel.imports
  const running = RUNNING.has(run.status)

  // With JavaScript the page polls; without it, the <noscript> refresh below does the same.
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 1500)
    return () => clearInterval(timer)
  }, [running, revalidator])

  const n = (value: number) => formatNumber(locale, value)
  const mb = (bytes: number) => `${formatNumber(locale, bytes / (1024 * 1024), 1)} MB`
  const byBytes = run.phase === 'reading' && run.bytesTotal > 0
  const errorText = run.errorCode && run.errorCode in m.errors ? (m.errors[run.errorCode as keyof typeof m.errors] as string) : null

  return (
    <>
      {running ? (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      <PageHeader
        title={run.filename ?? m.title}
        description={`${m.statuses[run.status]}${run.kind ? ` · ${m.kinds[run.kind]}` : ''}${run.source ? ` · ${m.sources[run.source]}` : ''}`}
        actions={
          <Link to="/imports" className="text-sm font-semibold text-brand-700 underline">
            {m.back}
          </Link>
        }
      />
      {refusal?.length ? <Notice tone="error">{refusal.join(' ')}</Notice> : null}

      {running ? (
        <Card title={m.statuses[run.status]}>
          <div role="status" aria-live="polite">
            {run.phase ? <p className="mb-2 text-sm font-semibold">{m.phases[run.phase]}</p> : null}
            {byBytes ? (
              <>
                <progress className="w-full" max={run.bytesTotal} value={run.bytesRead} aria-label={m.phases.reading} />
                <p className="mt-2 text-sm">
                  {m.readProgress({ rows: n(run.rowsProcessed), percent: formatPercent(locale, run.bytesRead / run.bytesTotal), read: mb(run.bytesRead), total: mb(run.bytesTotal) })}
                </p>
              </>
            ) : run.phase === 'checking' || run.phase === 'merging' ? (
              <>
                {/* No measure inside one statement: an indeterminate bar, and how many rows it holds. */}
                <progress className="w-full" aria-label={m.phases[run.phase]} />
                <p className="mt-2 text-sm">{m.mergeProgress({ rows: n(run.rowsProcessed) })}</p>
              </>
            ) : run.rowsTotal > 0 ? (
              <>
                <progress className="w-full" max={run.rowsTotal} value={run.rowsProcessed} aria-label={m.statuses[run.status]} />
                <p className="mt-2 text-sm">{m.progress({ processed: n(run.rowsProcessed), total: n(run.rowsTotal) })}</p>
              </>
            ) : (
              <p className="text-sm">{m.reading({ processed: n(run.rowsProcessed) })}</p>
            )}
          </div>
          <p className="mt-2 text-xs text-slate-600">{m.refreshing}</p>
        </Card>
      ) : null}

      {run.status === 'failed' ? (
        <Notice tone="error">
          <strong className="block">{m.failed.title}</strong>
          {errorText ? <span className="block">{errorText}</span> : null}
          {run.error ? (
            <span className="block">
              {m.errors.details}: {run.error}
            </span>
          ) : null}
          <span className="block">{m.failed.nothingWritten}</span>
        </Notice>
      ) : null}

      {run.format && run.status !== 'failed' ? (
        <p className="mb-4 text-sm text-slate-700">
          {m.recognised({ source: m.sources[run.format.source], kind: m.kinds[run.format.kind].toLowerCase() })}{' '}
          {m.conventions({
            delimiter: run.format.delimiter === '\t' ? 'TAB' : `“${run.format.delimiter}”`,
            decimal: `“${run.format.decimalSeparator}”`,
            dates: m.dayOrders[run.format.dayOrder as 'MDY' | 'DMY'] ?? run.format.dayOrder,
          })}
        </p>
      ) : null}

      {(run.status === 'mapping' || run.status === 'previewed') && run.format ? (
        <Card title={m.mapping.title} className="mb-6">
          {run.status === 'mapping' ? <p className="mb-4 text-sm">{m.mapping.intro}</p> : null}
          {run.format.problems.length ? (
            <Notice tone="warning">
              {run.format.problems.map((p) => (
                <span key={p} className="block">
                  {p}
                </span>
              ))}
            </Notice>
          ) : null}
          <details open={run.status === 'mapping'}>
            <summary className="mb-3 cursor-pointer text-sm font-semibold">{m.preview.remap}</summary>
            <Form method="post" {...getFormProps(mapForm)}>
              <input type="hidden" name="intent" value="map" />
              <fieldset>
                <legend className="sr-only">{m.mapping.title}</legend>
                {run.mappingFields.map((f) => (
                  <div key={f.field} className="mb-4">
                    <label htmlFor={`map-${f.field}`} className="block text-sm font-medium text-slate-800">
                      {m.fields[f.field as keyof typeof m.fields] ?? f.field} <span className="text-xs text-slate-600">({m.mapping.required})</span>
                    </label>
                    <select
                      id={`map-${f.field}`}
                      name={`map.${f.field}`}
                      defaultValue={f.current}
                      aria-invalid={run.format?.missing.includes(f.field) || undefined}
                      className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-600 sm:text-sm"
                    >
                      <option value="">{m.mapping.notMapped}</option>
                      {run.format?.headers.map((h, i) => (
                        <option key={`${h}-${i}`} value={h}>
                          {h}
                        </option>
                      ))}
                    </select>
                  </div>
                ))}
              </fieldset>
              <Button variant={run.status === 'mapping' ? 'primary' : 'secondary'}>{m.mapping.submit}</Button>
            </Form>
          </details>
        </Card>
      ) : null}

      {run.status === 'previewed' && run.preview ? (
        <Card title={m.preview.title} className="mb-6">
          <p className="mb-3 text-sm">{m.preview.intro}</p>
          <dl className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Count label={m.preview.created} value={run.preview.created} />
            <Count label={m.preview.updated} value={run.preview.updated} />
            <Count label={m.preview.unchanged} value={run.preview.unchanged} />
            <Count label={m.preview.rejected} value={run.preview.rejected} tone={run.preview.rejected ? 'text-red-700' : ''} />
          </dl>
          <Form method="post">
            <input type="hidden" name="intent" value="commit" />
            <Button>{m.preview.commit}</Button>
            <p className="mt-2 text-xs text-slate-600">{m.preview.commitHint}</p>
          </Form>
        </Card>
      ) : null}

      {run.status === 'committed' ? (
        <Notice tone="success">
          <strong className="block">{m.committed.title}</strong>
          {m.committed.summary({ created: n(run.created), updated: n(run.updated), unchanged: n(run.unchanged), rejected: n(run.rejected) })}{' '}
          {run.stageChanges ? m.committed.stageChanges({ count: n(run.stageChanges) }) : null}
        </Notice>
      ) : null}
      {run.status === 'committed' && run.unmappedOwners > 0 ? (
        <Notice tone="warning">
          {m.unmappedOwners({ count: run.unmappedOwners })}{' '}
          <Link to="/owners" className="font-semibold underline">
            {m.mapOwners}
          </Link>
        </Notice>
      ) : null}

      {run.rejections.total > 0 || run.status === 'previewed' ? (
        <Card title={`${m.rejections.title} (${n(run.rejections.total)})`}>
          {run.rejections.total === 0 ? (
            <p className="text-sm">{m.rejections.none}</p>
          ) : (
            <>
              <p className="mb-2 text-xs text-slate-600">
                {m.rejections.reasonsInEnglish}{' '}
                <a href={`/imports/${run.id}/rejected.csv`} className="font-semibold text-brand-700 underline" download>
                  {m.rejections.download}
                </a>
              </p>
              <DataTable
                variant="list"
                topAligned
                columns={[{ header: m.rejections.line, numeric: true }, m.rejections.reason]}
                rows={run.rejections.rows.map((r) => [r.line, r.reason])}
                rowKeys={run.rejections.rows.map((r, i) => `${r.line}-${i}`)}
              />
              {run.rejections.pages > 1 ? (
                <nav aria-label={m.rejections.title} className="mt-3 flex items-center gap-4 text-sm">
                  {run.rejections.page > 1 ? <Link to={`?page=${run.rejections.page - 1}`} className="underline">{m.rejections.previous}</Link> : null}
                  <span>{m.rejections.page({ page: run.rejections.page, pages: run.rejections.pages })}</span>
                  {run.rejections.page < run.rejections.pages ? <Link to={`?page=${run.rejections.page + 1}`} className="underline">{m.rejections.next}</Link> : null}
                </nav>
              ) : null}
            </>
          )}
        </Card>
      ) : null}
    </>
  )
}

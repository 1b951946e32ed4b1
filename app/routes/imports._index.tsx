import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { requirePermission } from '~/auth/guards.server'
import { createImportRun, listImportRuns } from '~/funnel/import.server'
import { MAX_UPLOAD_BYTES } from '~/funnel/import-limits'
import { UploadError, discardUpload, receiveUpload } from '~/funnel/import-upload.server'
import { listUnmappedOwners } from '~/funnel/owners.server'
import { messagesFor } from '~/i18n'
import { formatDateTime, formatNumber } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { DataTable } from '~/ui/data-table'
import { Button, Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'CRM imports · Pulseboard' }]

const MAX_MB = Math.round(MAX_UPLOAD_BYTES / (1024 * 1024))
const LOCALES = ['en-US', 'en-GB', 'it-IT', 'de-DE'] as const

const uploadFieldsSchema = z.object({
  kind: z.enum(['opportunities', 'leads']).optional(),
  locale: z.enum(LOCALES).optional(),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'crm:import')
  const [runs, unmapped] = await Promise.all([listImportRuns(context.app.db), listUnmappedOwners(context.app.db)])
  return { runs, unmappedOwners: unmapped.length }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'crm:import')
  const t = messagesFor(viewer.locale ?? 'en')
  let upload: Awaited<ReturnType<typeof receiveUpload>>
  try {
    upload = await receiveUpload(request, { dataDir: ctx.env.DATA_DIR })
  } catch (error) {
    if (!(error instanceof UploadError)) throw error
    const message = error.code === 'too_large' ? t.funnel.imports.errors.tooLarge({ mb: MAX_MB }) : error.code === 'missing_file' ? t.funnel.imports.errors.missingFile : t.funnel.imports.errors.notMultipart
    return data({ error: message }, { status: error.code === 'too_large' ? 413 : 400 })
  }
  const fields = uploadFieldsSchema.safeParse({ kind: upload.field('kind') || undefined, locale: upload.field('locale') || undefined })
  if (!fields.success) {
    await discardUpload(upload.filePath)
    return data({ error: t.common.errors.fixBelow }, { status: 400 })
  }
  const runId = await createImportRun(ctx, { filePath: upload.filePath, filename: upload.filename, kind: fields.data.kind, locale: fields.data.locale, createdById: viewer.id })
  throw redirect(`/imports/${runId}`)
}

export default function Imports() {
  const t = useT()
  const locale = useLocale()
  const { runs, unmappedOwners } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const m = t.funnel.imports
  return (
    <>
      <PageHeader
        title={m.title}
        description={m.description}
        actions={
          <Link to="/owners" className="text-sm font-semibold text-brand-700 underline">
            {t.funnel.owners.title}
          </Link>
        }
      />
      {unmappedOwners > 0 ? (
        <Notice tone="warning">
          {m.unmappedOwners({ count: unmappedOwners })}{' '}
          <Link to="/owners" className="font-semibold underline">
            {m.mapOwners}
          </Link>
        </Notice>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={m.upload.legend} className="lg:col-span-1">
          {actionData?.error ? <Notice tone="error">{actionData.error}</Notice> : null}
          <Form method="post" encType="multipart/form-data">
            <div className="mb-4">
              <label htmlFor="import-file" className="block text-sm font-medium text-slate-800">
                {m.upload.file}
              </label>
              <input id="import-file" name="file" type="file" required accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" aria-describedby="import-file-hint" className="mt-1 block w-full text-sm" />
              <p id="import-file-hint" className="mt-1 text-xs text-slate-600">
                {m.upload.fileHint({ mb: MAX_MB })}
              </p>
            </div>
            <div className="mb-4">
              <label htmlFor="import-kind" className="block text-sm font-medium text-slate-800">
                {m.upload.kind}
              </label>
              <select id="import-kind" name="kind" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm">
                <option value="">{m.upload.kindAuto}</option>
                <option value="opportunities">{m.kinds.opportunities}</option>
                <option value="leads">{m.kinds.leads}</option>
              </select>
            </div>
            <div className="mb-4">
              <label htmlFor="import-locale" className="block text-sm font-medium text-slate-800">
                {m.upload.locale}
              </label>
              <select id="import-locale" name="locale" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm">
                <option value="">{m.upload.localeAuto}</option>
                {LOCALES.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </div>
            <Button disabled={navigation.state === 'submitting'}>{m.upload.submit}</Button>
          </Form>
        </Card>
        <Card title={m.recent} className="lg:col-span-2">
          {runs.length === 0 ? (
            <p className="text-sm text-slate-700">{m.noRuns}</p>
          ) : (
            <DataTable
              variant="list"
              columns={[m.columns.file, m.columns.status, ...[m.columns.created, m.columns.updated, m.columns.rejected].map((header) => ({ header, align: 'right' as const, numeric: true })), m.columns.date]}
              rowKeys={runs.map((run) => run.id)}
              rows={runs.map((run) => [
                <>
                  <Link to={`/imports/${run.id}`} className="font-medium text-brand-700 underline">
                    {run.filename}
                  </Link>
                  {run.kind ? <span className="block text-xs text-slate-600">{[run.source ? m.sources[run.source] : null, m.kinds[run.kind]].filter(Boolean).join(' · ')}</span> : null}
                </>,
                m.statuses[run.status],
                formatNumber(locale, run.created),
                formatNumber(locale, run.updated),
                formatNumber(locale, run.rejected),
                formatDateTime(locale, run.createdAt),
              ])}
            />
          )}
        </Card>
      </div>
    </>
  )
}

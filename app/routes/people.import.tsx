import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { MAX_CSV_BYTES, importPeopleCsv } from '~/people/csv-import.server'
import { requirePeopleAccess } from '~/people/guards.server'
import { useT } from '~/i18n/use-t'
import { Button, Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Import people · Pulseboard' }]

// The commit carries the previewed file back (no server-side state), and is validated again.
const commitSchema = z.object({
  intent: z.literal('commit'),
  csv: z.string().min(1).max(MAX_CSV_BYTES),
  created: z.coerce.number().int().min(0),
  updated: z.coerce.number().int().min(0),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePeopleAccess(context.app, request, 'people:write')
  return {}
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const { viewer, t } = await requirePeopleAccess(ctx, request, 'people:write')
  const form = await request.formData()
  const actor = { actorId: viewer.id }
  if (form.get('intent') === 'commit') {
    const commit = commitSchema.safeParse(Object.fromEntries(form))
    if (!commit.success) return { fileError: t.people.import.noFile }
    const result = await importPeopleCsv(ctx.db, t, commit.data.csv, { actor, mode: 'commit', expect: { created: commit.data.created, updated: commit.data.updated } })
    if (result.ok) return { done: { created: result.created, updated: result.updated } }
    if ('changed' in result) {
      // Someone changed people between preview and commit: show the new preview instead.
      const preview = await importPeopleCsv(ctx.db, t, commit.data.csv, { actor, mode: 'preview' })
      return { preview, csv: commit.data.csv, notice: t.people.import.changedSincePreview }
    }
    return { preview: result, csv: commit.data.csv }
  }
  const file = form.get('file')
  if (!(file instanceof File) || file.size === 0) return { fileError: t.people.import.noFile }
  if (file.size > MAX_CSV_BYTES) return { fileError: t.people.import.tooLarge }
  const csv = await file.text()
  const preview = await importPeopleCsv(ctx.db, t, csv, { actor, mode: 'preview' })
  if ('fileError' in preview) return { fileError: preview.fileError }
  return { preview, csv }
}

export default function PeopleImport() {
  const t = useT()
  const data = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const preview = data && 'preview' in data ? data.preview : null
  return (
    <>
      <PageHeader title={t.people.import.title} description={t.people.import.description} actions={<Link to="/people" className="text-sm font-semibold text-brand-700 underline">{t.common.actions.back}</Link>} />
      {data && 'done' in data && data.done ? (
        <Notice tone="success">
          {t.people.import.done(data.done)} <Link to="/people" className="underline">{t.people.list.title}</Link>
        </Notice>
      ) : null}
      {data && 'notice' in data && data.notice ? <Notice tone="warning">{data.notice}</Notice> : null}
      {data && 'fileError' in data && data.fileError ? <Notice tone="error">{data.fileError}</Notice> : null}
      <Card>
        <Form method="post" encType="multipart/form-data" className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <input type="hidden" name="intent" value="preview" />
          <div className="flex-1">
            <label htmlFor="people-csv" className="block text-sm font-medium text-slate-800">
              {t.people.import.file}
            </label>
            <input id="people-csv" name="file" type="file" accept=".csv,text/csv" required className="mt-1 block w-full text-sm" />
          </div>
          <Button disabled={busy}>{t.people.import.preview}</Button>
        </Form>
      </Card>
      {preview && !('fileError' in preview) ? (
        <Card title={t.people.import.summary} className="mt-6">
          {'issues' in preview ? (
            <>
              <Notice tone="error">{t.people.import.badRowsHelp}</Notice>
              <div className="overflow-x-auto">
                <table className="min-w-full text-left text-sm">
                  <caption className="sr-only">{t.people.import.badRows}</caption>
                  <thead>
                    <tr className="border-b border-slate-200">
                      <th scope="col" className="py-2 pr-4">{t.people.import.line}</th>
                      <th scope="col" className="py-2 pr-4">{t.people.import.column}</th>
                      <th scope="col" className="py-2">{t.people.import.reason}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.issues.map((issue) => (
                      <tr key={`${issue.line}-${issue.column}`} className="border-b border-slate-100 align-top">
                        <td className="py-2 pr-4 tabular-nums">{issue.line}</td>
                        <td className="py-2 pr-4 font-mono text-xs">{issue.column}</td>
                        <td className="py-2">{issue.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : 'created' in preview ? (
            <>
              <dl className="grid grid-cols-3 gap-4 text-center">
                {(
                  [
                    [t.people.import.new, preview.created],
                    [t.people.import.updated, preview.updated],
                    [t.people.import.unchanged, preview.unchanged],
                  ] as const
                ).map(([label, value]) => (
                  <div key={label} className="rounded-md bg-slate-50 p-3">
                    <dt className="text-sm text-slate-700">{label}</dt>
                    <dd className="text-2xl font-bold tabular-nums">{value}</dd>
                  </div>
                ))}
              </dl>
              {preview.newTeams.length ? <p className="mt-4 text-sm text-slate-700">{t.people.import.newTeams({ names: preview.newTeams.join(', ') })}</p> : null}
              {preview.created + preview.updated === 0 ? (
                <p className="mt-4 text-sm text-slate-700">{t.people.import.nothingToDo}</p>
              ) : (
                <Form method="post" className="mt-4">
                  <input type="hidden" name="intent" value="commit" />
                  <input type="hidden" name="csv" value={data && 'csv' in data ? data.csv : ''} />
                  <input type="hidden" name="created" value={preview.created} />
                  <input type="hidden" name="updated" value={preview.updated} />
                  <Button disabled={busy}>{t.people.import.commit({ count: preview.created + preview.updated })}</Button>
                </Form>
              )}
            </>
          ) : null}
        </Card>
      ) : null}
    </>
  )
}

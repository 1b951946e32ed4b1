import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { forbidden, requireManagerOr } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { listBenchmarks, updateBenchmark } from '~/funnel/benchmarks.server'
import { funnelOrgRight } from '~/funnel/scope.server'
import { type Messages, messagesFor } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { Button, Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Benchmarks · Pulseboard' }]

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

const benchmarkSchema = (t: Messages) =>
  z.object({
    id: z.uuid(),
    value: z.string({ error: t.funnel.benchmarks.errors.value }).trim().regex(/^\d{1,10}(\.\d{1,4})?$/, { error: t.funnel.benchmarks.errors.value }),
    source: z.string({ error: t.funnel.benchmarks.errors.source }).trim().min(2, { error: t.funnel.benchmarks.errors.source }).max(300),
    sourceUrl: z.preprocess(blank, z.url({ protocol: /^https?$/, error: t.funnel.benchmarks.errors.url }).optional()),
    year: z.preprocess(blank, z.coerce.number({ error: t.funnel.benchmarks.errors.year }).int({ error: t.funnel.benchmarks.errors.year }).min(1990, { error: t.funnel.benchmarks.errors.year }).max(2100, { error: t.funnel.benchmarks.errors.year }).optional()),
    segment: z.preprocess(blank, z.string().trim().max(200).optional()),
  })

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireManagerOr(context.app, request, funnelOrgRight)
  return { benchmarks: await listBenchmarks(context.app.db), canEdit: roleCan(viewer.role, 'settings:write') }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, funnelOrgRight)
  // Reading is for every funnel reader; editing the published figures is for admins.
  if (!roleCan(viewer.role, 'settings:write')) forbidden()
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: benchmarkSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply(), savedId: null }, { status: 400 })
  const v = submission.value
  await updateBenchmark(ctx.db, { id: v.id, value: v.value, source: v.source, sourceUrl: v.sourceUrl ?? null, year: v.year ?? null, segment: v.segment ?? null, actorId: viewer.id })
  return { result: submission.reply(), savedId: v.id }
}

const inputClass = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm'

export default function Benchmarks() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  const b = t.funnel.benchmarks
  const errors = actionData?.result?.error ?? {}
  return (
    <>
      <PageHeader
        title={b.title}
        description={b.description}
        actions={
          <Link to="/funnel" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
            {t.funnel.rep.back}
          </Link>
        }
      />
      {actionData?.savedId ? <Notice tone="success">{b.saved}</Notice> : null}
      {!data.canEdit ? <p className="mb-4 text-sm text-slate-700">{b.readOnly}</p> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        {data.benchmarks.map((row) => {
          const label = t.funnel.kpi[row.metric as keyof typeof t.funnel.kpi] ?? row.metric
          if (!data.canEdit) {
            return (
              <Card key={row.id} title={label}>
                <dl className="grid grid-cols-3 gap-1 text-sm">
                  <dt className="font-medium">{b.value}</dt>
                  <dd className="col-span-2">{row.value}</dd>
                  <dt className="font-medium">{b.segment}</dt>
                  <dd className="col-span-2">{row.segment ?? '—'}</dd>
                  <dt className="font-medium">{b.source}</dt>
                  <dd className="col-span-2">
                    {row.source}
                    {row.year ? ` (${row.year})` : ''}
                  </dd>
                </dl>
              </Card>
            )
          }
          const field = (name: 'value' | 'source' | 'sourceUrl' | 'year' | 'segment', text: string, value: string, hint?: string) => {
            const id = `${row.id}-${name}`
            const error = actionData?.savedId === null ? errors[name]?.join(' ') : undefined
            return (
              <div className="mb-3">
                <label htmlFor={id} className="block text-sm font-medium">
                  {text}
                </label>
                <input id={id} name={name} defaultValue={value} className={inputClass} aria-invalid={error ? true : undefined} aria-describedby={hint ? `${id}-hint` : undefined} />
                {hint ? (
                  <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
                    {hint}
                  </p>
                ) : null}
                {error ? (
                  <p className="mt-1 text-sm text-red-700" role="alert">
                    {error}
                  </p>
                ) : null}
              </div>
            )
          }
          return (
            <Card key={row.id} title={label}>
              <Form method="post">
                <input type="hidden" name="id" value={row.id} />
                {field('value', b.value, String(row.value), b.valueHint)}
                {field('segment', b.segment, row.segment ?? '')}
                {field('source', b.source, row.source)}
                {field('sourceUrl', b.sourceUrl, row.sourceUrl ?? '')}
                {field('year', b.year, row.year ? String(row.year) : '')}
                <Button>{t.common.actions.save}</Button>
              </Form>
            </Card>
          )
        })}
      </div>
    </>
  )
}

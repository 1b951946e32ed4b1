import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requirePermission } from '~/auth/guards.server'
import { deleteTarget, listTargets, setTarget, targetOwners } from '~/funnel/targets.server'
import { funnelFormat } from '~/funnel/ui'
import { type Messages, messagesFor } from '~/i18n'
import { useLocale, useT } from '~/i18n/use-t'
import { FormErrors, SelectField, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'Targets · Pulseboard' }]

const isPeriodStart = (v: { period: string; periodStart: string }) => {
  const m = /^(\d{4})-(\d{2})-01$/.exec(v.periodStart)
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return false
  return v.period === 'month' || [1, 4, 7, 10].includes(Number(m[2]))
}

const targetSchema = (t: Messages) =>
  z
    .object({
      intent: z.literal('set'),
      owner: z.string({ error: t.funnel.targets.errors.owner }).regex(/^(person|team):[0-9a-f-]{36}$/, { error: t.funnel.targets.errors.owner }),
      period: z.enum(['month', 'quarter'], { error: t.funnel.targets.errors.period }),
      periodStart: z.string({ error: t.funnel.targets.errors.periodStart }),
      value: z
        .string({ error: t.funnel.targets.errors.value })
        .trim()
        .regex(/^\d{1,14}(\.\d{1,2})?$/, { error: t.funnel.targets.errors.value }),
      currency: z
        .string({ error: t.funnel.targets.errors.currency })
        .trim()
        .transform((v) => v.toUpperCase())
        .pipe(z.string().regex(/^[A-Z]{3}$/, { error: t.funnel.targets.errors.currency })),
    })
    .refine(isPeriodStart, { path: ['periodStart'], error: t.funnel.targets.errors.periodStart })

const deleteSchema = z.object({ intent: z.literal('delete'), id: z.uuid() })

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Targets drive quota attainment for everyone: only admins set them.
  await requirePermission(context.app, request, 'settings:write')
  const [targets, owners] = await Promise.all([listTargets(context.app.db), targetOwners(context.app.db)])
  return { targets, owners }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'settings:write')
  const t = messagesFor(viewer.locale ?? 'en')
  const formData = await request.formData()
  if (formData.get('intent') === 'delete') {
    const parsed = deleteSchema.safeParse(Object.fromEntries(formData))
    if (!parsed.success) return data({ error: t.common.errors.fixBelow }, { status: 400 })
    await deleteTarget(ctx.db, { id: parsed.data.id, actorId: viewer.id })
    return { result: undefined, message: 'deleted' as const }
  }
  const submission = parseWithZod(formData, { schema: targetSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply(), message: null }, { status: 400 })
  const [ownerType, ownerId] = submission.value.owner.split(':') as ['person' | 'team', string]
  await setTarget(ctx.db, { ownerType, ownerId, period: submission.value.period, periodStart: submission.value.periodStart, value: submission.value.value, currency: submission.value.currency, actorId: viewer.id })
  return { result: submission.reply({ resetForm: true }), message: 'saved' as const }
}

export default function Targets() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  const locale = useLocale()
  const fmt = funnelFormat(locale, t.funnel.none)
  const [form, fields] = useZodForm(targetSchema(t), {
    id: 'target',
    lastResult: actionData && 'result' in actionData ? actionData.result : undefined,
    shouldValidate: 'onBlur',
    defaultValue: { period: 'month', currency: 'EUR' },
  })
  return (
    <>
      <PageHeader
        title={t.funnel.targets.title}
        description={t.funnel.targets.description}
        actions={
          <Link to="/funnel" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
            {t.funnel.rep.back}
          </Link>
        }
      />
      {actionData && 'message' in actionData && actionData.message === 'saved' ? <Notice tone="success">{t.funnel.targets.saved}</Notice> : null}
      {actionData && 'message' in actionData && actionData.message === 'deleted' ? <Notice tone="success">{t.funnel.targets.deleted}</Notice> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={t.funnel.targets.set}>
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="set" />
            <FormErrors id={form.errorId} errors={form.errors} />
            <SelectField
              field={fields.owner}
              label={t.funnel.targets.owner}
              emptyLabel=""
              options={data.owners.map((o) => ({ value: `${o.kind}:${o.id}`, label: `${o.kind === 'team' ? t.funnel.targets.team : t.funnel.targets.person}: ${o.name}` }))}
            />
            <SelectField field={fields.period} label={t.funnel.targets.period} options={[{ value: 'month', label: t.funnel.periods.month }, { value: 'quarter', label: t.funnel.periods.quarter }]} />
            <TextField field={fields.periodStart} label={t.funnel.targets.periodStart} type="date" />
            <TextField field={fields.value} label={t.funnel.targets.value} />
            <TextField field={fields.currency} label={t.funnel.targets.currency} />
            <Button>{t.funnel.targets.set}</Button>
          </Form>
        </Card>
        <Card title={t.funnel.targets.existing} className="lg:col-span-2">
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">{t.funnel.targets.existing}</caption>
              <thead className="border-b border-slate-300 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="px-2 py-2">{t.funnel.targets.owner}</th>
                  <th scope="col" className="px-2 py-2">{t.funnel.targets.period}</th>
                  <th scope="col" className="px-2 py-2">{t.funnel.targets.periodStart}</th>
                  <th scope="col" className="px-2 py-2">{t.funnel.targets.value}</th>
                  <th scope="col" className="px-2 py-2"><span className="sr-only">{t.funnel.targets.delete}</span></th>
                </tr>
              </thead>
              <tbody>
                {data.targets.map((row) => (
                  <tr key={row.id} className="border-b border-slate-100">
                    <th scope="row" className="px-2 py-1.5 font-medium">
                      {row.ownerName} <span className="text-xs text-slate-600">({row.ownerType === 'team' ? t.funnel.targets.team : t.funnel.targets.person})</span>
                    </th>
                    <td className="px-2 py-1.5">{t.funnel.periods[row.period]}</td>
                    <td className="px-2 py-1.5">{row.periodStart}</td>
                    <td className="px-2 py-1.5 tabular-nums">{fmt.money(row.value, row.currency)}</td>
                    <td className="px-2 py-1.5">
                      <Form method="post">
                        <input type="hidden" name="intent" value="delete" />
                        <input type="hidden" name="id" value={row.id} />
                        <button type="submit" className="text-sm text-red-700 underline">
                          {t.funnel.targets.delete}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </div>
    </>
  )
}

import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requirePermission } from '~/auth/guards.server'
import { UnknownPersonError, listMappablePeople, listOwnerMappings, listUnmappedOwners, mapOwner, unmapOwner } from '~/funnel/owners.server'
import { type Messages, messagesFor } from '~/i18n'
import { formatNumber } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { Button, Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'CRM owners · Pulseboard' }]

const actionSchema = (t: Messages) =>
  z.discriminatedUnion('intent', [
    z.object({
      intent: z.literal('map'),
      ownerKey: z.string({ error: t.funnel.owners.errors.key }).trim().min(1, { error: t.funnel.owners.errors.key }).max(500),
      personId: z.uuid({ error: t.funnel.owners.errors.person }),
    }),
    z.object({ intent: z.literal('unmap'), ownerKey: z.string({ error: t.funnel.owners.errors.key }).trim().min(1).max(500) }),
  ])

export async function loader({ request, context }: LoaderFunctionArgs) {
  const db = context.app.db
  await requirePermission(context.app, request, 'crm:import')
  const [unmapped, mappings, people] = await Promise.all([listUnmappedOwners(db), listOwnerMappings(db), listMappablePeople(db)])
  return { unmapped, mappings, people }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'crm:import')
  const t = messagesFor(viewer.locale ?? 'en')
  const form = Object.fromEntries(await request.formData())
  const parsed = actionSchema(t).safeParse(form)
  if (!parsed.success) {
    return data({ ok: false as const, ownerKey: typeof form.ownerKey === 'string' ? form.ownerKey : '', error: parsed.error.issues[0]?.message ?? t.common.errors.fixBelow }, { status: 400 })
  }
  if (parsed.data.intent === 'unmap') {
    await unmapOwner(ctx.db, { ownerKey: parsed.data.ownerKey, actorId: viewer.id })
    return { ok: true as const, message: t.funnel.owners.unmappedDone({ key: parsed.data.ownerKey }) }
  }
  const { ownerKey, personId } = parsed.data
  try {
    const moved = await mapOwner(ctx.db, { ownerKey, personId, actorId: viewer.id })
    return { ok: true as const, message: t.funnel.owners.mapped({ key: ownerKey, name: moved.personName, opportunities: moved.opportunities, leads: moved.leads }) }
  } catch (error) {
    if (error instanceof UnknownPersonError) return data({ ok: false as const, ownerKey, error: t.funnel.owners.errors.unknownPerson }, { status: 400 })
    throw error
  }
}

export default function Owners() {
  const t = useT()
  const locale = useLocale()
  const { unmapped, mappings, people } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const m = t.funnel.owners
  const n = (value: number) => formatNumber(locale, value)
  return (
    <>
      <PageHeader
        title={m.title}
        description={m.description}
        actions={
          <Link to="/imports" className="text-sm font-semibold text-brand-700 underline">
            {t.funnel.imports.title}
          </Link>
        }
      />
      {actionData?.ok ? <Notice tone="success">{actionData.message}</Notice> : null}
      {actionData && !actionData.ok ? (
        <Notice tone="error">
          {actionData.ownerKey ? `${actionData.ownerKey}: ` : ''}
          {actionData.error}
        </Notice>
      ) : null}
      <div className="grid gap-6">
        <Card title={`${m.unmapped} (${n(unmapped.length)})`}>
          {unmapped.length === 0 ? (
            <p className="text-sm">{m.none}</p>
          ) : (
            <>
              <p className="mb-3 text-sm">{m.unmappedIntro}</p>
              <ul className="divide-y divide-slate-100">
                {unmapped.map((owner, i) => (
                  <li key={owner.ownerKey} className="py-3">
                    <Form method="post" className="flex flex-col gap-2 sm:flex-row sm:items-end">
                      <input type="hidden" name="intent" value="map" />
                      <input type="hidden" name="ownerKey" value={owner.ownerKey} />
                      <div className="sm:w-1/3">
                        <p className="font-medium">{owner.ownerKey}</p>
                        <p className="text-xs text-slate-600">
                          {m.columns.opportunities}: {n(owner.opportunities)} · {m.columns.leads}: {n(owner.leads)}
                        </p>
                      </div>
                      <div className="sm:flex-1">
                        <label htmlFor={`owner-${i}`} className="block text-sm font-medium text-slate-800">
                          {m.person({ key: owner.ownerKey })}
                        </label>
                        <select id={`owner-${i}`} name="personId" required defaultValue="" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm">
                          <option value="">{m.choose}</option>
                          {people.map((p) => (
                            <option key={p.id} value={p.id}>
                              {p.name} ({p.email})
                            </option>
                          ))}
                        </select>
                      </div>
                      <Button>{m.map}</Button>
                    </Form>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
        <Card title={m.mappings}>
          {mappings.length === 0 ? (
            <p className="text-sm">{m.noMappings}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="min-w-full text-left text-sm">
                <thead>
                  <tr className="border-b border-slate-200">
                    <th scope="col" className="py-2 pr-3">{m.columns.key}</th>
                    <th scope="col" className="py-2 pr-3">{m.columns.person}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{m.columns.opportunities}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{m.columns.leads}</th>
                    <th scope="col" className="py-2 pr-3">{m.columns.action}</th>
                  </tr>
                </thead>
                <tbody>
                  {mappings.map((row) => (
                    <tr key={row.ownerKey} className="border-b border-slate-100">
                      <td className="py-2 pr-3">{row.ownerKey}</td>
                      <td className="py-2 pr-3">
                        {row.personName} <span className="text-xs text-slate-600">({row.personEmail})</span>
                      </td>
                      <td className="py-2 pr-3 text-right tabular-nums">{n(row.opportunities)}</td>
                      <td className="py-2 pr-3 text-right tabular-nums">{n(row.leads)}</td>
                      <td className="py-2 pr-3">
                        <Form method="post">
                          <input type="hidden" name="intent" value="unmap" />
                          <input type="hidden" name="ownerKey" value={row.ownerKey} />
                          <Button variant="secondary" aria-label={`${m.unmap} ${row.ownerKey}`}>
                            {m.unmap}
                          </Button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  )
}

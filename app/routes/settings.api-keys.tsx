import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { roles } from '#db/schema/people'
import { requirePermission } from '~/auth/guards.server'
import { type Messages, messagesFor } from '~/i18n'
import { formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { createApiKey, listApiKeys, revokeApiKey } from '~/settings/api-keys.server'
import { FormErrors, SelectField, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'API keys · Pulseboard' }]

const createSchema = (t: Messages) =>
  z.object({
    intent: z.literal('create'),
    name: z.string({ error: t.admin.apiKeys.nameRequired }).trim().min(1, { error: t.admin.apiKeys.nameRequired }).max(100),
    role: z.enum(roles).default('admin'),
  })
const revokeSchema = z.object({ intent: z.literal('revoke'), id: z.uuid() })

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'api-keys:manage')
  const keys = await listApiKeys(context.app.db)
  return { keys: keys.map((k) => ({ ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null })) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requirePermission(context.app, request, 'api-keys:manage')
  const t = messagesFor(viewer.locale ?? 'en')
  const formData = await request.formData()
  if (formData.get('intent') === 'revoke') {
    const parsed = revokeSchema.safeParse(Object.fromEntries(formData))
    if (!parsed.success) return data({ result: null, key: null }, { status: 400 })
    await revokeApiKey(context.app.db, { id: parsed.data.id, actorId: viewer.id })
    return { result: null, key: null }
  }
  const submission = parseWithZod(formData, { schema: createSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply(), key: null }, { status: 400 })
  const created = await createApiKey(context.app.db, { ...submission.value, createdById: viewer.id })
  return { result: submission.reply({ resetForm: true }), key: created.key }
}

export default function ApiKeys() {
  const t = useT()
  const locale = useLocale()
  const { keys } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useZodForm(createSchema(t), { id: 'create-key', lastResult: actionData?.result, defaultValue: { role: 'admin' } })
  const a = t.admin.apiKeys
  return (
    <>
      <PageHeader title={a.title} description={a.description} />
      {actionData?.key ? (
        <Notice tone="success">
          <p>{a.newKey}</p>
          <code className="mt-2 block break-all rounded bg-white p-2 font-mono text-sm" data-testid="new-api-key">
            {actionData.key}
          </code>
        </Notice>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={a.create}>
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="create" />
            <FormErrors id={form.errorId} errors={form.errors} />
            <TextField field={fields.name} label={a.name} />
            <SelectField field={fields.role} label={a.role} options={roles.map((r) => ({ value: r, label: t.people.roles[r] }))} />
            <Button>{a.create}</Button>
          </Form>
        </Card>
        <Card className="overflow-x-auto lg:col-span-2">
          {keys.length === 0 ? (
            <p className="text-slate-600">{a.empty}</p>
          ) : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{a.title}</caption>
              <thead>
                <tr className="border-b border-slate-200">
                  <th scope="col" className="py-2 pr-3">{a.name}</th>
                  <th scope="col" className="py-2 pr-3">{a.role}</th>
                  <th scope="col" className="py-2 pr-3">{a.prefix}</th>
                  <th scope="col" className="py-2 pr-3">{a.lastUsed}</th>
                  <th scope="col" className="py-2"><span className="sr-only">{a.revoke}</span></th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} className="border-b border-slate-100">
                    <td className="py-2 pr-3">{k.name}</td>
                    <td className="py-2 pr-3">{t.people.roles[k.role]}</td>
                    <td className="py-2 pr-3 font-mono">{k.prefix}…</td>
                    <td className="py-2 pr-3">{k.lastUsedAt ? formatDateTime(locale, k.lastUsedAt) : a.never}</td>
                    <td className="py-2">
                      {k.revokedAt ? (
                        <span className="text-slate-500">{a.revoked}</span>
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="id" value={k.id} />
                          <Button variant="danger" aria-label={`${a.revoke} ${k.name}`}>
                            {a.revoke}
                          </Button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  )
}

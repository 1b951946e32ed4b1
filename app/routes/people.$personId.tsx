import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { notFound, requireUuid } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { formatDate } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { personErrorMessage } from '~/people/errors'
import { requirePeopleAccess } from '~/people/guards.server'
import { PersonForm } from '~/people/person-form'
import { deactivatePerson, getPerson, personOptions, reactivatePerson, teamOptions, updatePerson } from '~/people/people.server'
import { personFormSchema } from '~/people/schemas'
import { Button, Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Person · Pulseboard' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = context.app
  const { viewer } = await requirePeopleAccess(ctx, request, 'people:read')
  const person = await getPerson(ctx.db, requireUuid(params.personId))
  if (!person) notFound()
  const canWrite = roleCan(viewer.role, 'people:write')
  const [teams, people] = canWrite ? await Promise.all([teamOptions(ctx.db), personOptions(ctx.db, person.managerId)]) : [[], []]
  return { person, teams, people: people.filter((p) => p.id !== person.id), canWrite, canErase: roleCan(viewer.role, 'people:erase') }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = context.app
  const { viewer, t, today } = await requirePeopleAccess(ctx, request, 'people:write')
  const personId = requireUuid(params.personId)
  const formData = await request.formData()
  const actor = { actorId: viewer.id }
  const intent = formData.get('intent')
  if (intent === 'deactivate' || intent === 'reactivate') {
    if (!(await getPerson(ctx.db, personId))) notFound()
    if (intent === 'deactivate') {
      if ((await deactivatePerson(ctx.db, actor, personId, today)) === 'self') return data({ statusError: t.people.errors.ownDeactivation }, { status: 400 })
    } else await reactivatePerson(ctx.db, actor, personId)
    throw redirect(`/people/${personId}?saved=${intent}d`)
  }
  const submission = parseWithZod(formData, { schema: personFormSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await updatePerson(ctx.db, actor, personId, submission.value)
  if (!outcome) notFound()
  if (!outcome.ok) return data({ result: submission.reply({ fieldErrors: { [outcome.error.field]: [personErrorMessage(t, outcome.error)] } }) }, { status: 400 })
  throw redirect(`/people/${personId}?saved=saved`)
}

export default function PersonPage() {
  const t = useT()
  const locale = useLocale()
  const { person, teams, people, canWrite, canErase } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const saved = params.get('saved')
  const savedMessage =
    saved === 'created' ? t.people.form.created : saved === 'saved' ? t.people.form.saved : saved === 'deactivated' ? t.people.form.deactivated : saved === 'reactivated' ? t.people.form.reactivated : null
  return (
    <>
      <PageHeader
        title={canWrite ? t.people.form.editTitle({ name: person.name }) : person.name}
        description={`${person.email} · ${t.people.roles[person.role]}`}
        actions={<Link to="/people" className="text-sm font-semibold text-brand-700 underline">{t.common.actions.back}</Link>}
      />
      {savedMessage && !actionData ? <Notice tone="success">{savedMessage}</Notice> : null}
      {!person.active ? <Notice tone="warning">{t.people.form.inactiveBanner({ date: person.leftOn ? formatDate(locale, person.leftOn) : '—' })}</Notice> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card>
            {canWrite ? (
              <PersonForm
                key={`${person.id}-${saved ?? ''}`}
                id="edit-person"
                lastResult={actionData && 'result' in actionData ? actionData.result : undefined}
                teams={teams}
                people={people}
                defaults={{
                  name: person.name,
                  email: person.email,
                  role: person.role,
                  locale: person.locale ?? '',
                  timezone: person.timezone ?? '',
                  teamId: person.teamId ?? '',
                  managerId: person.managerId ?? '',
                  crmOwnerKeys: person.crmOwnerKeys.join('\n'),
                  startedOn: person.startedOn ?? '',
                  leftOn: person.leftOn ?? '',
                }}
                submitLabel={t.common.actions.save}
              />
            ) : (
              <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
                {(
                  [
                    [t.people.fields.team, person.teamName ?? '—'],
                    [t.people.fields.manager, person.managerName ?? '—'],
                    [t.people.fields.locale, person.locale ? t.common.languages[person.locale] : t.people.fields.orgDefault],
                    [t.people.fields.timezone, person.timezone ?? t.people.fields.orgDefault],
                    [t.people.fields.startedOn, person.startedOn ? formatDate(locale, person.startedOn) : '—'],
                    [t.people.fields.leftOn, person.leftOn ? formatDate(locale, person.leftOn) : '—'],
                    [t.people.fields.crmOwnerKeys, person.crmOwnerKeys.join(', ') || '—'],
                  ] as const
                ).map(([label, value]) => (
                  <div key={label}>
                    <dt className="text-sm font-medium text-slate-700">{label}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            )}
          </Card>
        </div>
        <div className="flex flex-col gap-6">
          <Card title={t.people.form.directReports}>
            {person.reports.length ? (
              <ul className="list-disc pl-5">
                {person.reports.map((r) => (
                  <li key={r.id}>
                    <Link to={`/people/${r.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                      {r.name}
                    </Link>
                    {r.active ? null : ` (${t.people.list.inactive})`}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-700">{t.people.form.noDirectReports}</p>
            )}
          </Card>
          {canWrite ? (
            <Card title={t.people.fields.status}>
              {actionData && 'statusError' in actionData ? <Notice tone="error">{actionData.statusError}</Notice> : null}
              <Form method="post">
                {person.active ? (
                  <>
                    <p className="mb-3 text-sm text-slate-700">{t.people.form.deactivateHelp}</p>
                    <input type="hidden" name="intent" value="deactivate" />
                    <Button variant="danger">{t.people.form.deactivate}</Button>
                  </>
                ) : (
                  <>
                    <input type="hidden" name="intent" value="reactivate" />
                    <Button variant="secondary">{t.people.form.reactivate}</Button>
                  </>
                )}
              </Form>
            </Card>
          ) : null}
          {canErase ? (
            <Link to={`/people/${person.id}/erase`} className="text-sm font-semibold text-red-700 underline">
              {t.dataProtection.erase.link}
            </Link>
          ) : null}
        </div>
      </div>
    </>
  )
}

import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { notFound, requireUuid } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { formatDate, formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { writeErrorReply } from '~/insights/action-errors'
import { ActionForm } from '~/insights/action-form'
import { actionFormSchema, impactQuerySchema } from '~/insights/action-schema'
import { getAction, ownerOptions, requireActionsAccess, updateAction, writableTeams } from '~/insights/actions.server'
import { actionImpact } from '~/insights/impact.server'
import { ImpactView } from '~/insights/impact-view'
import type { KpiKey } from '~/insights/overlay'
import { DRIVER_LABELS, isDriverKey } from '~/responses/drivers'
import { Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.action.title ?? 'Action'} · Pulseboard` }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const { viewer, today } = await requireActionsAccess(ctx, request, 'read')
  const found = await getAction(ctx.db, viewer, requireUuid(params.actionId), today)
  if (!found) notFound()
  const query = impactQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  const [impact, teams, owners] = await Promise.all([
    actionImpact(ctx.db, { teamId: found.team?.id ?? null, driver: found.driver, kpi: found.kpi, createdAt: found.createdAt, doneAt: found.doneAt, status: found.status }, { ...query, today }),
    found.canEdit ? writableTeams(ctx.db, viewer) : Promise.resolve([]),
    found.canEdit ? ownerOptions(ctx.db, viewer) : Promise.resolve([]),
  ])
  return { action: found, impact, teams, owners, canOrg: roleCan(viewer.role, 'actions:write-org') }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context.app
  const { viewer, t, today } = await requireActionsAccess(ctx, request, 'write')
  const submission = parseWithZod(await request.formData(), { schema: actionFormSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await updateAction(ctx.db, viewer, requireUuid(params.actionId), submission.value, today)
  if (!outcome.ok) {
    if (outcome.error === 'not_found') notFound()
    const reply = writeErrorReply(t, outcome.error)
    return data({ result: submission.reply(reply.fields) }, { status: reply.status })
  }
  throw redirect(`/actions/${outcome.id}?saved=updated`)
}

export default function ActionDetail() {
  const t = useT()
  const locale = useLocale()
  const [params] = useSearchParams()
  const { action: a, impact, teams, owners, canOrg } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const group = a.team ? a.team.name : t.actions.allOrganisation
  const measure = a.driver === 'enps' ? t.actions.enps : a.driver && isDriverKey(a.driver) ? DRIVER_LABELS[a.driver][locale] : '—'
  return (
    <>
      <PageHeader title={a.title} description={a.description || undefined} actions={<Link to="/actions" className="text-sm font-semibold text-brand-700 underline">{t.common.actions.back}</Link>} />
      {params.get('saved') === 'created' ? <Notice tone="success">{t.actions.created}</Notice> : params.get('saved') ? <Notice tone="success">{t.actions.saved}</Notice> : null}
      <div className="grid gap-6">
        <Card>
          <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-slate-600">{t.actions.fields.status}</dt>
              <dd className="font-semibold">
                {t.actions.statuses[a.status]}
                {a.overdue ? <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">{t.actions.overdue}</span> : null}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">{t.actions.fields.team}</dt>
              <dd>{group}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t.actions.fields.owner}</dt>
              <dd>{a.owner?.name ?? '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t.actions.fields.driver}</dt>
              <dd>{measure}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t.actions.fields.kpi}</dt>
              <dd>{a.kpi && a.kpi in t.insights.kpis ? t.insights.kpis[a.kpi as KpiKey] : '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t.actions.fields.dueOn}</dt>
              <dd>{a.dueOn ? formatDate(locale, a.dueOn) : '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t.actions.createdAt}</dt>
              <dd>
                {formatDateTime(locale, a.createdAt)}
                {a.createdBy ? ` · ${a.createdBy.name}` : ''} · {t.actions.sources[a.source]}
              </dd>
            </div>
            {a.startedAt ? (
              <div>
                <dt className="text-slate-600">{t.actions.startedAt}</dt>
                <dd>{formatDateTime(locale, a.startedAt)}</dd>
              </div>
            ) : null}
            {a.doneAt ? (
              <div>
                <dt className="text-slate-600">{t.actions.doneAt}</dt>
                <dd>{formatDateTime(locale, a.doneAt)}</dd>
              </div>
            ) : null}
          </dl>
          {a.outcome ? (
            <div className="mt-4 rounded-md bg-slate-50 p-3 text-sm">
              <p className="font-medium">{t.actions.fields.outcome}</p>
              <p className="whitespace-pre-line">{a.outcome}</p>
            </div>
          ) : null}
        </Card>
        <ImpactView impact={impact} group={group} />
        {a.canEdit ? (
          <Card title={t.common.actions.edit} className="max-w-xl">
            <ActionForm
              id="edit-action"
              lastResult={actionData?.result}
              defaults={{
                title: a.title,
                description: a.description,
                ownerId: a.owner?.id,
                teamId: a.team?.id,
                driver: a.driver ?? undefined,
                kpi: a.kpi ?? undefined,
                dueOn: a.dueOn ?? undefined,
                status: a.status,
                outcome: a.outcome,
              }}
              teams={a.team && !teams.some((x) => x.id === a.team!.id) ? [a.team, ...teams] : teams}
              owners={owners}
              canOrg={canOrg}
              teamLocked={Boolean(a.signalId)}
              submitLabel={t.actions.save}
            />
          </Card>
        ) : null}
      </div>
    </>
  )
}

import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { useT } from '~/i18n/use-t'
import { ActionForm, type ActionFormDefaults } from '~/insights/action-form'
import { ACTION_MEASURES, actionFormSchema } from '~/insights/action-schema'
import { createAction, ownerOptions, requireActionsAccess, visibleSignal, writableTeams } from '~/insights/actions.server'
import { writeErrorReply } from '~/insights/action-errors'
import { KPI_KEYS } from '~/insights/overlay'
import { Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'New action · Pulseboard' }]

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Prefilled from the link that opened it: `team`, `driver` (a driver key or enps), `kpi`, `survey`,
 * `round`, or `signal` (whose team it takes). A signal the viewer may not see is a 404.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const { viewer } = await requireActionsAccess(ctx, request, 'write')
  const params = new URL(request.url).searchParams
  const [teams, owners] = await Promise.all([writableTeams(ctx.db, viewer), ownerOptions(ctx.db, viewer)])
  const canOrg = roleCan(viewer.role, 'actions:write-org')
  const defaults: ActionFormDefaults = { status: 'planned', source: 'manual' }
  const team = params.get('team') ?? ''
  if (teams.some((t) => t.id === team)) defaults.teamId = team
  else if (!canOrg && teams.length) defaults.teamId = teams[0].id
  const driver = params.get('driver') ?? ''
  if ((ACTION_MEASURES as readonly string[]).includes(driver)) {
    defaults.driver = driver
    defaults.source = driver === 'enps' ? 'enps' : 'driver'
  }
  const kpi = params.get('kpi') ?? ''
  if ((KPI_KEYS as readonly string[]).includes(kpi)) defaults.kpi = kpi
  if (uuid.test(params.get('survey') ?? '')) defaults.sourceSurveyId = params.get('survey')!
  if (uuid.test(params.get('round') ?? '')) defaults.sourceRoundId = params.get('round')!
  let signal = null
  if (params.has('signal')) {
    signal = await visibleSignal(ctx.db, viewer, params.get('signal') ?? '')
    if (!signal || !teams.some((t) => t.id === signal!.teamId)) notFound()
    defaults.signalId = signal.id
    defaults.source = 'signal'
    defaults.teamId = signal.teamId
    if (!defaults.kpi && signal.kpi && (KPI_KEYS as readonly string[]).includes(signal.kpi)) defaults.kpi = signal.kpi
    if (!defaults.driver && signal.driver && (ACTION_MEASURES as readonly string[]).includes(signal.driver)) defaults.driver = signal.driver
  }
  return { teams, owners, canOrg, defaults, signal: signal ? { id: signal.id, teamName: signal.teamName, status: signal.status } : null }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const { viewer, t } = await requireActionsAccess(ctx, request, 'write')
  const submission = parseWithZod(await request.formData(), { schema: actionFormSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await createAction(ctx.db, viewer, submission.value)
  if (!outcome.ok) {
    const reply = writeErrorReply(t, outcome.error)
    if (outcome.error === 'not_found') notFound()
    return data({ result: submission.reply(reply.fields) }, { status: reply.status })
  }
  throw redirect(`/actions/${outcome.id}?saved=created`)
}

export default function NewAction() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <PageHeader title={t.actions.newTitle} actions={<Link to="/actions" className="text-sm font-semibold text-brand-700 underline">{t.common.actions.back}</Link>} />
      {data.signal ? <Notice>{t.actions.fromSignal}</Notice> : null}
      <Card className="max-w-xl">
        <ActionForm
          id="new-action"
          lastResult={actionData?.result}
          defaults={data.defaults}
          teams={data.teams}
          owners={data.owners}
          canOrg={data.canOrg}
          teamLocked={Boolean(data.signal)}
          submitLabel={t.common.actions.create}
        />
      </Card>
    </>
  )
}

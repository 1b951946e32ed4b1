import type { LoaderFunctionArgs } from '@remix-run/node'
import { handleApi, methodNotAllowed, parseQuery } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { actionsQuerySchema } from '~/insights/action-schema'
import { listActions, orgToday } from '~/insights/actions.server'
import { actionImpact } from '~/insights/impact.server'

/** GET /api/v1/actions: hr, leader and admin keys (actions:read-org); other keys 403. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    const ctx = context.app
    const caller = await requireApiKey(ctx, request, 'actions:read-org')
    const query = parseQuery(request, actionsQuerySchema)
    const today = await orgToday(ctx.db)
    const rows = await listActions(ctx.db, { apiKey: true, role: caller.role }, { status: query.status, team: query.team, overdue: query.overdue === 'true' ? true : undefined }, today)
    const actions = []
    for (const { canEdit: _canEdit, createdBy: _createdBy, ...row } of rows) {
      if (query.impact !== 'true') {
        actions.push(row)
        continue
      }
      const impact = await actionImpact(ctx.db, { teamId: row.team?.id ?? null, driver: row.driver, kpi: row.kpi, createdAt: row.createdAt, doneAt: row.doneAt, status: row.status }, { unit: query.unit, periods: query.periods, today })
      actions.push({ ...row, impact })
    }
    return Response.json({ actions })
  })
}

export const action = () => methodNotAllowed(['GET'])

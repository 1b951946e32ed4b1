import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiError, handleApi, methodNotAllowed, parseQuery } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { signalsQuerySchema } from '~/insights/signals'
import { listSignals, teamInSignalScope } from '~/insights/signals.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    const ctx = context.app
    const caller = await requireApiKey(ctx, request, 'signals:org')
    const query = parseQuery(request, signalsQuerySchema)
    const viewer = { id: null, role: caller.role }
    if (query.team && !(await teamInSignalScope(ctx.db, viewer, query.team))) {
      return apiError(400, 'invalid_request', `team: there is no team with the id ${query.team}; GET /api/v1/teams lists them`, { issues: [{ field: 'team', message: 'unknown team id' }] })
    }
    const signals = await listSignals(ctx.db, viewer, { status: query.status, teamId: query.team })
    return Response.json({ signals })
  })
}

export const action = () => methodNotAllowed(['GET'])

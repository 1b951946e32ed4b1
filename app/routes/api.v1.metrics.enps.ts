import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiError, handleApi, methodNotAllowed, parseQuery } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { enpsMetrics, metricsQuerySchema } from '~/responses/metrics-api.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    await requireApiKey(context.app, request, 'results:org')
    const query = parseQuery(request, metricsQuerySchema)
    const result = await enpsMetrics(context.app.db, query)
    if (result.status === 'unknown_team') return apiError(400, 'invalid_request', `team: there is no team with the id ${query.team}; GET /api/v1/teams lists them`, { issues: [{ field: 'team', message: 'unknown team id' }] })
    return Response.json({ window: result.window, rows: result.rows })
  })
}

export async function action() {
  return methodNotAllowed(['GET'])
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiError, handleApi, methodNotAllowed, parseQuery } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { funnelMetricsApi } from '~/funnel/metrics-api.server'
import { funnelQuerySchema } from '~/funnel/metrics-schemas'

// Computed live on every call: a metric reflects ingested data as soon as the ingest request returns.
export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    await requireApiKey(context.app, request, 'funnel:org')
    const query = parseQuery(request, funnelQuerySchema)
    // An API key acts for the whole organisation; its role's permission was checked above.
    const result = await funnelMetricsApi(context.app.db, { all: true }, query)
    if (result.status === 'unknown_team') {
      return apiError(400, 'invalid_request', `team: there is no team with the id ${query.team}; GET /api/v1/teams lists them`, { issues: [{ field: 'team', message: 'unknown team id' }] })
    }
    return Response.json({ rows: result.value })
  })
}

export async function action() {
  return methodNotAllowed(['GET'])
}

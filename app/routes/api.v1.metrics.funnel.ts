import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiError, handleApi, methodNotAllowed, parseQuery } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { apiKeySubject } from '~/auth/scope.server'
import { funnelMetricsApi } from '~/funnel/metrics-api.server'
import { funnelQuerySchema } from '~/funnel/metrics-schemas'
import { funnelOrgRight } from '~/funnel/scope.server'

// Computed live on every call: a metric reflects ingested data as soon as the ingest request returns.
export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    const caller = await requireApiKey(context.app, request, funnelOrgRight)
    const query = parseQuery(request, funnelQuerySchema)
    // An API key has its role and no relationships: the organisation, in full or its top only.
    const result = await funnelMetricsApi(context.app.db, apiKeySubject(caller.role), query)
    if (result.status === 'forbidden') return apiError(403, 'forbidden', result.message, { view: 'top' })
    if (result.status === 'unknown_team') {
      return apiError(400, 'invalid_request', `team: there is no team with the id ${query.team}; GET /api/v1/teams lists them`, { issues: [{ field: 'team', message: 'unknown team id' }] })
    }
    return Response.json({ rows: result.value })
  })
}

export async function action() {
  return methodNotAllowed(['GET'])
}

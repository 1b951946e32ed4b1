import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiError, handleApi, methodNotAllowed, parseQuery } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { correlation, publicCorrelation } from '~/insights/correlation.server'
import { correlationQuerySchema } from '~/insights/overlay'

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    const caller = await requireApiKey(context.app, request, 'results:org')
    const { team, ...query } = parseQuery(request, correlationQuerySchema)
    const outcome = await correlation(context.app.db, { scope: { kind: 'org' }, viewerId: null, role: caller.role }, { ...query, teamId: team })
    if ('error' in outcome) {
      return apiError(400, 'invalid_request', `team: there is no team with the id ${team}; GET /api/v1/teams lists them`, { issues: [{ field: 'team', message: 'unknown team id' }] })
    }
    return Response.json(publicCorrelation(outcome))
  })
}

export async function action() {
  return methodNotAllowed(['GET'])
}

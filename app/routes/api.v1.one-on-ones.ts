import type { LoaderFunctionArgs } from '@remix-run/node'
import { handleApi, methodNotAllowed, parseQuery } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { oneOnOnesQuery } from '~/one-on-ones/api-spec'
import { listOneOnOneMetadata } from '~/one-on-ones/one-on-ones.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    const ctx = context.app
    await requireApiKey(ctx, request, 'one-on-ones:read')
    const query = parseQuery(request, oneOnOnesQuery)
    const oneOnOnes = await listOneOnOneMetadata(ctx.db, { from: query.from, to: query.to, teamId: query.team })
    return Response.json({ oneOnOnes })
  })
}

export const action = () => methodNotAllowed(['GET'])

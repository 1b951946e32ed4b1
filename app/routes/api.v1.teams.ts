import type { LoaderFunctionArgs } from '@remix-run/node'
import { handleApi, methodNotAllowed } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { apiListTeams } from '~/people/teams.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    await requireApiKey(context.app, request, 'teams:read')
    return Response.json({ teams: await apiListTeams(context.app.db) })
  })
}

export async function action() {
  return methodNotAllowed(['GET'])
}

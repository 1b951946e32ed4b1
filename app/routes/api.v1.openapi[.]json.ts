import type { LoaderFunctionArgs } from '@remix-run/node'
import { endpoints } from '~/api/endpoints'
import { buildOpenApi } from '~/api/openapi'

// Public on purpose: the document describes the API, it exposes no data.
export async function loader({ context }: LoaderFunctionArgs) {
  return Response.json(buildOpenApi(endpoints, context.app.env.APP_URL))
}

import { apiError } from '~/api/errors.server'

// Unknown API paths answer in the API's JSON error shape, not with an HTML page.
const notFound = ({ request }: { request: Request }) =>
  apiError(404, 'not_found', `There is no endpoint ${request.method} ${new URL(request.url).pathname}. See /api/v1/openapi.json for the list.`)

export const loader = notFound
export const action = notFound

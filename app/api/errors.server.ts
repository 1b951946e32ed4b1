import { type z } from 'zod'
import { isDatabaseUnavailable } from '~/db.server'

/** Every API error has this shape (docs/architecture.md#api-conventions). */
export function apiError(status: number, code: string, message: string, details: Record<string, unknown> = {}, headers?: Record<string, string>) {
  return Response.json({ error: { code, message, details } }, { status, headers })
}

export type BatchItemError = { index: number; field: string; message: string }

export function invalidBatch(errors: BatchItemError[], what = 'items') {
  return apiError(400, 'invalid_batch', `${errors.length} of the ${what} are invalid; nothing was written. Fix them and send the whole batch again.`, { errors })
}

function fieldOf(path: PropertyKey[]) {
  return path.map(String).join('.') || '(root)'
}

/** A 400 naming each bad field and what it accepts. */
export function invalidInput(error: z.ZodError, where: 'query' | 'body' = 'body') {
  return apiError(400, 'invalid_request', `The request ${where} is invalid: ${error.issues.map((i) => `${fieldOf(i.path)}: ${i.message}`).join('; ')}`, {
    issues: error.issues.map((i) => ({ field: fieldOf(i.path), message: i.message })),
  })
}

/** Validates every item of a bulk payload before anything is written. */
export function validateBatch<S extends z.ZodType>(items: unknown[], schema: S, prefix = ''): { ok: true; values: z.output<S>[] } | { ok: false; errors: BatchItemError[] } {
  const values: z.output<S>[] = []
  const errors: BatchItemError[] = []
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item)
    if (parsed.success) values.push(parsed.data)
    else for (const issue of parsed.error.issues) errors.push({ index, field: `${prefix}${fieldOf(issue.path)}`, message: issue.message })
  })
  return errors.length ? { ok: false, errors } : { ok: true, values }
}

/** Parses the query string with a zod schema, or throws a 400 naming each bad parameter. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams)
  const parsed = schema.safeParse(params)
  if (!parsed.success) throw invalidInput(parsed.error, 'query')
  return parsed.data
}

/** Reads a JSON body, or throws a 400 that says the body must be JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json()
  } catch {
    throw apiError(400, 'invalid_json', 'The request body must be a JSON document (Content-Type: application/json).')
  }
}

/** Runs an API handler: thrown Responses are answers, anything else is a JSON 500 that leaks nothing. */
export async function handleApi(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof Response) return error
    if (isDatabaseUnavailable(error)) return databaseUnavailable()
    console.error(error)
    return apiError(500, 'internal_error', 'An unexpected error occurred; nothing was changed. Try again, and tell your administrator if it persists.')
  }
}

/** The database cannot be reached: a 503 the client may retry, never a 500. */
export function databaseUnavailable() {
  return apiError(503, 'unavailable', 'Pulseboard cannot reach its database right now; nothing was changed. Try again in a moment.', {}, { 'Retry-After': '5' })
}

export function methodNotAllowed(allowed: string[]) {
  return new Response(JSON.stringify({ error: { code: 'method_not_allowed', message: `Use ${allowed.join(' or ')} on this endpoint.`, details: { allowed } } }), {
    status: 405,
    headers: { 'Content-Type': 'application/json', Allow: allowed.join(', ') },
  })
}

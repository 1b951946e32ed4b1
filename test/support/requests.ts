import type { AppContext } from '~/context'
import { startSession } from '~/auth/session.server'
import { TEST_APP_URL } from './context'

type RouteFn = (args: { request: Request; params: Record<string, string>; context: { app: AppContext } }) => unknown

/** Builds a request as a browser on this site would send it. */
export function makeRequest(path: string, init: { method?: string; form?: Record<string, string | string[]>; cookie?: string; headers?: Record<string, string>; body?: BodyInit } = {}) {
  const headers = new Headers(init.headers)
  if (init.cookie) headers.set('Cookie', init.cookie)
  headers.set('X-Pulseboard-Client-Ip', headers.get('X-Pulseboard-Client-Ip') ?? '203.0.113.9')
  let body: BodyInit | undefined = init.body
  if (init.form) {
    const form = new URLSearchParams()
    for (const [k, v] of Object.entries(init.form)) for (const item of [v].flat()) form.append(k, item)
    body = form
  }
  return new Request(`${TEST_APP_URL}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body })
}

/**
 * Calls a loader or action the way Remix does, returning the thrown Response when it throws one.
 * A result given a status with Remix's data() comes back as a Response with that status and
 * headers, its data as JSON (what a client sees of it); a plain result comes back as it is.
 */
export async function call(fn: RouteFn, ctx: AppContext, request: Request, params: Record<string, string> = {}): Promise<unknown> {
  try {
    const result = await fn({ request, params, context: { app: ctx } })
    return isDataWithResponseInit(result) ? Response.json(result.data, result.init ?? undefined) : result
  } catch (error) {
    if (error instanceof Response) return error
    throw error
  }
}

function isDataWithResponseInit(value: unknown): value is { data: unknown; init: ResponseInit | null } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'DataWithResponseInit'
}

/** A cookie header for a signed-in person (a real session row). */
export async function signedInCookie(ctx: AppContext, personId: string): Promise<string> {
  const setCookie = await startSession(ctx.db, ctx.env, new Request(TEST_APP_URL), personId)
  return setCookie.split(';')[0]
}

import { redirect } from '@remix-run/node'
import { and, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { apiKeys } from '#db/schema'
import type { Role } from '#db/schema/people'
import { apiError } from '~/api/errors.server'
import type { AppContext } from '~/context'
import { type Permission, roleCan } from './permissions'
import { sessionPerson } from './session.server'
import { hashToken } from './tokens.server'

export type Viewer = NonNullable<Awaited<ReturnType<typeof sessionPerson>>>

/** An API caller acts with its key's role and no personal relationships. */
export type ApiCaller = { kind: 'api-key'; keyId: string; role: Role; name: string }

export async function getViewer(ctx: AppContext, request: Request): Promise<Viewer | null> {
  return sessionPerson(ctx.db, ctx.env, request)
}

/** The signed-in person, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireViewer(ctx: AppContext, request: Request): Promise<Viewer> {
  const viewer = await getViewer(ctx, request)
  if (!viewer) {
    const url = new URL(request.url)
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  return viewer
}

export function forbidden(): never {
  throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

/** A page or a record that does not exist, or that this viewer may not know exists: the error page's 404. */
export function notFound(): never {
  throw new Response('Not found', { status: 404, statusText: 'Not Found' })
}

const uuid = z.uuid()

/**
 * The id in a URL (`params.surveyId` …) as a uuid. A malformed one gets the same 404 as an id that
 * matches nothing, so the queries behind it compare uuids (and use their indexes), never text.
 */
export function requireUuid(value: string | undefined): string {
  const parsed = uuid.safeParse(value)
  if (!parsed.success) notFound()
  return parsed.data
}

export async function requirePermission(ctx: AppContext, request: Request, permission: Permission): Promise<Viewer> {
  const viewer = await requireViewer(ctx, request)
  if (!roleCan(viewer.role, permission)) forbidden()
  return viewer
}

/** Whether a role has the permission, or any of several. */
function roleHasAny(role: Role, permission: Permission | readonly Permission[]): boolean {
  return (typeof permission === 'string' ? [permission] : permission).some((p) => roleCan(role, p))
}

/** Managers (anyone with direct reports or a team) and the roles that see the whole organisation (any of the permissions). */
export async function requireManagerOr(ctx: AppContext, request: Request, permission: Permission | readonly Permission[]): Promise<Viewer> {
  const viewer = await requireViewer(ctx, request)
  if (!viewer.isManager && !roleHasAny(viewer.role, permission)) forbidden()
  return viewer
}

/** Bearer-key authentication for /api/v1: 401 for a missing or unknown key, 403 without the permission (or any of several). */
export async function requireApiKey(ctx: AppContext, request: Request, permission: Permission | readonly Permission[]): Promise<ApiCaller> {
  const header = request.headers.get('Authorization') ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (!match) {
    throw apiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>". Admins create keys under Settings → API keys.')
  }
  const [key] = await ctx.db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiKeys.keyHash, hashToken(match[1])), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, role: apiKeys.role, name: apiKeys.name })
  if (!key) throw apiError(401, 'unauthorized', 'This API key is unknown or has been revoked.')
  if (!roleHasAny(key.role, permission)) {
    const needed = typeof permission === 'string' ? permission : permission.join(' or the ')
    throw apiError(403, 'forbidden', `This API key (role ${key.role}) may not use this endpoint; it needs the ${needed} permission.`)
  }
  return { kind: 'api-key', keyId: key.id, role: key.role, name: key.name }
}

import { createCookie } from '@remix-run/node'
import { and, eq, gt, sql } from 'drizzle-orm'
import type { Db, DbOrTx } from '#db/client'
import { people, sessions } from '#db/schema'
import type { Env } from '~/env.server'
import { hashToken, randomToken } from './tokens.server'

export const SESSION_DAYS = 30

export function sessionCookie(env: Pick<Env, 'SESSION_SECRET' | 'NODE_ENV'>) {
  return createCookie('pb_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure: env.NODE_ENV === 'production',
    path: '/',
    maxAge: SESSION_DAYS * 24 * 60 * 60,
    secrets: [env.SESSION_SECRET],
  })
}

export async function readSessionId(env: Env, request: Request): Promise<string | null> {
  const value = await sessionCookie(env).parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length >= 32 ? value : null
}

/**
 * Starts a session for a person and returns its Set-Cookie header. Any session the request already
 * carried is deleted first, so a session id is never reused across a sign-in (fixation).
 */
export async function startSession(db: Db, env: Env, request: Request, personId: string): Promise<string> {
  const previous = await readSessionId(env, request)
  if (previous) await db.delete(sessions).where(eq(sessions.idHash, hashToken(previous)))
  const id = randomToken()
  await db.insert(sessions).values({
    idHash: hashToken(id),
    personId,
    expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 60 * 60 * 1000),
    userAgent: request.headers.get('User-Agent')?.slice(0, 300) ?? null,
    ip: clientIp(request),
  })
  return sessionCookie(env).serialize(id)
}

export async function endSession(db: Db, env: Env, request: Request): Promise<string> {
  const id = await readSessionId(env, request)
  if (id) await db.delete(sessions).where(eq(sessions.idHash, hashToken(id)))
  return sessionCookie(env).serialize('', { maxAge: 0 })
}

/** The signed-in, active person of this request, or null. */
export async function sessionPerson(db: Db, env: Env, request: Request) {
  const id = await readSessionId(env, request)
  if (!id) return null
  const [row] = await db
    .select({
      id: people.id,
      email: people.email,
      name: people.name,
      role: people.role,
      locale: people.locale,
      teamId: people.teamId,
      timezone: people.timezone,
      hasReports: sql<boolean>`exists (select 1 from ${people} r where r.manager_id = ${people.id} and r.active)`,
      managesTeam: sql<boolean>`exists (select 1 from teams t where t.manager_id = ${people.id})`,
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(and(eq(sessions.idHash, hashToken(id)), gt(sessions.expiresAt, new Date()), eq(people.active, true)))
  if (!row) return null
  return { ...row, isManager: Boolean(row.hasReports) || Boolean(row.managesTeam) }
}

export async function revokeSessionsOf(db: DbOrTx, personId: string) {
  await db.delete(sessions).where(eq(sessions.personId, personId))
}

/** The client address: the socket's, or the proxy's X-Forwarded-For when TRUST_PROXY is set (express fills it). */
export function clientIp(request: Request): string {
  return request.headers.get('X-Pulseboard-Client-Ip') ?? 'unknown'
}

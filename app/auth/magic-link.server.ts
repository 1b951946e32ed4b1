import { and, eq, isNull, sql } from 'drizzle-orm'
import { createElement } from 'react'
import { z } from 'zod'
import { people, signInTokens } from '#db/schema'
import { SignInLinkEmail, signInLinkSubject } from '#emails/sign-in-link'
import type { AppContext } from '~/context'
import { renderEmail } from '~/email/render.server'
import { getSettings } from '~/settings/settings.server'
import { consume } from './rate-limit.server'
import { hashToken, randomToken } from './tokens.server'

export const SIGN_IN_LINK_MINUTES = 15

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email())

/** A safe place to return to after sign-in: a path on this site, never another origin. */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  return to
}

/**
 * Queues a sign-in email when the address belongs to an active person. The caller answers the same
 * neutral sentence either way, so this never reveals whether an address is known.
 */
export async function requestSignInLink(ctx: AppContext, input: { email: string; ip: string; redirectTo?: string }) {
  const limited = await consume([ctx.limits.linkPerEmail, input.email], [ctx.limits.linkPerIp, input.ip])
  if (!limited.ok) return limited
  const [person] = await ctx.db
    .select({ id: people.id })
    .from(people)
    .where(and(sql`lower(${people.email}) = ${input.email.toLowerCase()}`, eq(people.active, true)))
  if (person) await ctx.jobs.send('email.sign-in-link', { personId: person.id, redirectTo: safeRedirect(input.redirectTo) })
  return { ok: true as const }
}

/** Creates a link and emails it. Runs in the worker so the plain token exists only in the email. */
export async function sendSignInLink(ctx: AppContext, input: { personId: string; redirectTo: string }) {
  const [person] = await ctx.db.select().from(people).where(and(eq(people.id, input.personId), eq(people.active, true)))
  if (!person) return
  const token = randomToken()
  await ctx.db.insert(signInTokens).values({
    tokenHash: hashToken(token),
    personId: person.id,
    redirectTo: input.redirectTo,
    expiresAt: new Date(Date.now() + SIGN_IN_LINK_MINUTES * 60 * 1000),
  })
  const settings = await getSettings(ctx.db)
  const locale = person.locale ?? settings.defaultLocale
  const url = `${ctx.env.APP_URL}/auth/verify?token=${encodeURIComponent(token)}`
  const { html, text } = await renderEmail(createElement(SignInLinkEmail, { locale, name: person.name, url }))
  await ctx.mailer.send({ to: person.email, subject: signInLinkSubject(locale), html, text, kind: 'sign-in-link' })
}

export type LinkCheck = { ok: true; personId: string; redirectTo: string } | { ok: false; reason: 'used' | 'expired' | 'invalid' }

/** Uses a link exactly once: the update succeeds for one request only, however many race. */
export async function consumeSignInLink(ctx: AppContext, token: string): Promise<LinkCheck> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'invalid' }
  const tokenHash = hashToken(token)
  const [used] = await ctx.db
    .update(signInTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(signInTokens.tokenHash, tokenHash), isNull(signInTokens.usedAt), sql`${signInTokens.expiresAt} > now()`))
    .returning({ personId: signInTokens.personId, redirectTo: signInTokens.redirectTo })
  if (used) {
    const [active] = await ctx.db.select({ id: people.id }).from(people).where(and(eq(people.id, used.personId), eq(people.active, true)))
    if (!active) return { ok: false, reason: 'invalid' }
    return { ok: true, personId: used.personId, redirectTo: safeRedirect(used.redirectTo) }
  }
  const [row] = await ctx.db.select({ usedAt: signInTokens.usedAt }).from(signInTokens).where(eq(signInTokens.tokenHash, tokenHash))
  if (!row) return { ok: false, reason: 'invalid' }
  return { ok: false, reason: row.usedAt ? 'used' : 'expired' }
}

/** A link's state without using it, for the confirmation page. */
export async function peekSignInLink(ctx: AppContext, token: string): Promise<'valid' | 'used' | 'expired' | 'invalid'> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return 'invalid'
  const [row] = await ctx.db
    .select({ usedAt: signInTokens.usedAt, live: sql<boolean>`${signInTokens.expiresAt} > now()` })
    .from(signInTokens)
    .where(eq(signInTokens.tokenHash, hashToken(token)))
  if (!row) return 'invalid'
  if (row.usedAt) return 'used'
  return row.live ? 'valid' : 'expired'
}

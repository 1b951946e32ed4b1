import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '#db/client'
import { people, signInTokens } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import type { AppContext } from '~/context'
import { SIGN_IN_LINK_MINUTES } from './magic-link.server'
import { hashToken, randomToken } from './tokens.server'

/** Creates an administrator, or promotes the person who already has this email. */
export async function createAdmin(db: Db, input: { email: string; name: string }): Promise<'created' | 'promoted'> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: people.id, role: people.role }).from(people).where(sql`lower(${people.email}) = ${input.email.toLowerCase()}`)
    if (existing) {
      await tx.update(people).set({ role: 'admin', active: true, updatedAt: new Date() }).where(eq(people.id, existing.id))
      await recordAudit(tx, { action: 'person.role_changed', target: existing.id, details: { from: existing.role, to: 'admin', via: 'cli' } })
      return 'promoted'
    }
    const [created] = await tx.insert(people).values({ email: input.email.toLowerCase(), name: input.name, role: 'admin' }).returning({ id: people.id })
    await recordAudit(tx, { action: 'person.created', target: created.id, details: { role: 'admin', via: 'cli' } })
    return 'created'
  })
}

/** A one-off sign-in URL for the CLI (same rules as emailed links: single use, 15 minutes). */
export async function createSignInUrl(ctx: AppContext, email: string): Promise<string | null> {
  const [person] = await ctx.db
    .select({ id: people.id })
    .from(people)
    .where(and(sql`lower(${people.email}) = ${email.toLowerCase()}`, eq(people.active, true)))
  if (!person) return null
  const token = randomToken()
  await ctx.db.insert(signInTokens).values({ tokenHash: hashToken(token), personId: person.id, redirectTo: '/', expiresAt: new Date(Date.now() + SIGN_IN_LINK_MINUTES * 60 * 1000) })
  return `${ctx.env.APP_URL}/auth/verify?token=${encodeURIComponent(token)}`
}

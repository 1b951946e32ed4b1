import { and, eq, sql } from 'drizzle-orm'
import { people } from '#db/schema'
import type { AppContext } from '~/context'
import { hashPassword, verifyPassword } from './password.server'
import { consume } from './rate-limit.server'

// Verifying against a fixed hash when the person has no password keeps the timing the same.
let dummyHash: Promise<string> | null = null

export async function signInWithPassword(ctx: AppContext, input: { email: string; password: string; ip: string }) {
  const limited = await consume([ctx.limits.passwordPerEmail, input.email], [ctx.limits.passwordPerIp, input.ip])
  if (!limited.ok) return limited
  const [person] = await ctx.db
    .select({ id: people.id, passwordHash: people.passwordHash })
    .from(people)
    .where(and(sql`lower(${people.email}) = ${input.email.toLowerCase()}`, eq(people.active, true)))
  dummyHash ??= hashPassword('not-a-real-password-for-timing')
  const ok = await verifyPassword(person?.passwordHash ?? (await dummyHash), input.password)
  if (!person?.passwordHash || !ok) return { ok: false as const, reason: 'mismatch' as const }
  return { ok: true as const, personId: person.id }
}

export async function setPassword(ctx: AppContext, personId: string, password: string) {
  await ctx.db.update(people).set({ passwordHash: await hashPassword(password), updatedAt: new Date() }).where(eq(people.id, personId))
}

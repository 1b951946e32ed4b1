/**
 * Sending invitations and reminders. Each email carries a fresh 256-bit token created here, in the
 * worker, so the plain token exists only in the email; the database keeps its SHA-256.
 */
import { sql } from 'drizzle-orm'
import { queryRows } from '#db/client'
import type { PrivacyMode } from '#db/schema/surveys'
import { hashToken, randomToken } from '~/auth/tokens.server'
import type { AppContext } from '~/context'
import { RecipientRejectedError } from '~/email/mailer.server'
import { formatDate } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { privacyStatement } from '~/responses/privacy'
import { getSettings } from '~/settings/settings.server'
import { weDidForInvitations } from '~/insights/actions.server'
import { renderInvitationEmail } from './invitation-email.server'
import { SEND_RETRY } from '~/jobs/catalog'

/**
 * While a process sends an invitation it holds a lease on it: a session advisory lock on
 * PostgreSQL (released by the server the moment that process dies or loses its connection), a
 * set in memory on PGlite (one process). Holding the lease means nobody else is sending it, so a
 * `sending` claim found then was left by a process that died mid-send and may be taken over at once.
 * The leases of a chunk are taken together, on one reserved connection.
 */
const LEASE_NAMESPACE = 0x5042
const leasedHere = new Set<string>()

type Leases = { held: string[]; release: () => Promise<void> }

async function takeLeases(ctx: AppContext, invitationIds: string[]): Promise<Leases> {
  const free = invitationIds.filter((id) => !leasedHere.has(id))
  const pool = ctx.database.sql
  if (!pool || !free.length) {
    for (const id of free) leasedHere.add(id)
    return { held: free, release: async () => free.forEach((id) => leasedHere.delete(id)) }
  }
  const connection = await pool.reserve()
  let held: string[]
  try {
    const rows = await connection<{ id: string; locked: boolean }[]>`
      select id, pg_try_advisory_lock(${LEASE_NAMESPACE}, hashtext(id)) as locked from unnest(${free}::text[]) as id`
    held = rows.filter((r) => r.locked).map((r) => r.id)
  } catch (error) {
    // Session locks outlive a failed statement: drop whatever it took before the connection goes back.
    await connection`select pg_advisory_unlock_all()`.catch(() => {})
    connection.release()
    throw error
  }
  if (!held.length) {
    connection.release()
    return { held, release: async () => {} }
  }
  for (const id of held) leasedHere.add(id)
  return {
    held,
    async release() {
      for (const id of held) leasedHere.delete(id)
      // A broken connection has lost the locks already; postgres.js discards it on release.
      await connection`select pg_advisory_unlock(${LEASE_NAMESPACE}, hashtext(id)) from unnest(${held}::text[]) as id`.catch(() => {})
      connection.release()
    },
  }
}

/** How long an undelivered invitation may sit without a queued job before the sweep queues one. */
const STALLED_AFTER = '30 seconds'

/**
 * How many invitations are leased, claimed, looked up and rendered together before they are
 * handed to SMTP, one at a time: every database round trip but the final status is per chunk.
 */
const CHUNK = 25

type Claimed = { id: string; roundId: string }

type EmailFacts = { invitationId: string; email: string; name: string; locale: Locale | null; title: string; privacy: PrivacyMode; closesAt: string | Date; thresholdScores: number }

/** The ids as one array parameter: the statement's text is the same for every chunk (one cached plan). */
const idArray = (ids: string[]) => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`

async function emailFacts(ctx: AppContext, invitationIds: string[]): Promise<Map<string, EmailFacts>> {
  const rows = await queryRows<EmailFacts>(
    ctx.db,
    sql`select i.id::text as "invitationId", p.email, p.name, p.locale, s.title, r.privacy, r.closes_at as "closesAt", r.threshold_scores as "thresholdScores"
        from invitations i join people p on p.id = i.person_id join survey_rounds r on r.id = i.round_id join surveys s on s.id = r.survey_id
        where i.id = any(${idArray(invitationIds)})`,
  )
  return new Map(rows.map((row) => [row.invitationId, row]))
}

/** Renders the invitations (or reminders) of a chunk: the shared part once per distinct content. */
async function renderer(ctx: AppContext, invitationIds: string[], reminder: boolean) {
  const [facts, settings, weDid] = await Promise.all([emailFacts(ctx, invitationIds), getSettings(ctx.db), weDidForInvitations(ctx.db, invitationIds)])
  return async (invitationId: string, token: string) => {
    // The facts are keyed by the database's text of the id (lower case); a job may carry it in upper case.
    const id = invitationId.toLowerCase()
    const f = facts.get(id)
    if (!f) throw new Error(`invitation ${invitationId} not found`)
    const locale = f.locale ?? settings.defaultLocale
    const shared = {
      locale,
      title: f.title,
      closesOn: formatDate(locale, new Date(f.closesAt), settings.timezone),
      privacy: privacyStatement(f.privacy, locale, f.thresholdScores),
      reminder,
      weDid: weDid.get(id) ?? [],
    }
    const email = await renderInvitationEmail(shared, `${ctx.env.APP_URL}/s/`, { name: f.name, token })
    return { ...email, to: f.email }
  }
}

export type SendOutcome = { status: 'sent' | 'skipped' | 'rejected' } | { error: unknown }

/**
 * Sends one invitation. Under the lease, the claim (pending/failed/abandoned sending → sending, in
 * one UPDATE … RETURNING) lets exactly one job send it; a refused recipient becomes `rejected` for
 * good; any other failure becomes `failed` and is rethrown so pg-boss retries with backoff.
 */
export async function sendInvitation(ctx: AppContext, invitationId: string): Promise<'sent' | 'skipped' | 'rejected'> {
  const outcome = (await sendInvitations(ctx, [invitationId])).get(invitationId.toLowerCase())
  if (!outcome) return 'skipped'
  if ('error' in outcome) throw outcome.error
  return outcome.status
}

/**
 * Sends a batch of invitations with the same promises as `sendInvitation`, in chunks: a chunk's
 * leases, claim, facts, settings and "we did" lists take one query each (the next chunk's while
 * this one is being sent), and its emails share their rendering; the emails go to SMTP strictly
 * one after another, each marked `sent` before the next is handed over, so a process killed
 * mid-batch leaves at most one email whose fate it did not record. When `stopping` turns true,
 * the claims not yet handed over are given back, exactly as they were, and their ids are left
 * out of the result (not started). The result is keyed by lower-case id.
 */
export async function sendInvitations(ctx: AppContext, invitationIds: string[], options: { stopping?: () => boolean } = {}): Promise<Map<string, SendOutcome>> {
  const stopping = options.stopping ?? (() => false)
  const outcomes = new Map<string, SendOutcome>()
  // Keyed as PostgreSQL prints a uuid (lower case): the lease key and the result must match the rows.
  const unique = [...new Set(invitationIds.map((id) => id.toLowerCase()))]
  const chunks: string[][] = []
  for (let i = 0; i < unique.length; i += CHUNK) chunks.push(unique.slice(i, i + CHUNK))
  // The database failed (the leases, the claim, the facts or a status): each invitation of the
  // chunk not settled fails and is retried; a claim left `sending` is taken over under the next lease.
  const settle = (chunk: string[], error: unknown) => {
    for (const id of chunk) if (!outcomes.has(id)) outcomes.set(id, { error })
  }
  const prepareSafely = (chunk: string[]) => prepare(ctx, chunk, outcomes).catch((error: unknown) => void settle(chunk, error))
  let next = chunks.length > 0 && !stopping() ? prepareSafely(chunks[0]) : null
  for (let i = 0; next; i++) {
    const prepared = await next
    next = i + 1 < chunks.length && !stopping() ? prepareSafely(chunks[i + 1]) : null
    if (!prepared) continue
    try {
      await deliver(ctx, prepared, outcomes, stopping)
    } catch (error) {
      settle(chunks[i], error)
    } finally {
      await prepared.leases.release()
    }
    if (stopping() && next) {
      // Shutting down with the next chunk already claimed: give all of it back.
      const unused = await next
      next = null
      if (unused) {
        try {
          await giveBack(ctx, unused.claimed)
        } catch (error) {
          settle(chunks[i + 1], error)
        } finally {
          await unused.leases.release()
        }
      }
    }
  }
  return outcomes
}

type ClaimedChunk = Claimed & { token: string; before: { status: string; claimedAt: string | null; attempts: number; tokenHash: string | null } }

type Prepared = { leases: Leases; claimed: ClaimedChunk[]; render: Awaited<ReturnType<typeof renderer>> }

/** Leases and claims a chunk and loads what its emails need; what cannot be sent is settled as skipped. */
async function prepare(ctx: AppContext, chunk: string[], outcomes: Map<string, SendOutcome>): Promise<Prepared | undefined> {
  const leases = await takeLeases(ctx, chunk)
  // Another worker is sending these right now: it will deliver them or fail and retry its own jobs.
  for (const id of chunk) if (!leases.held.includes(id)) outcomes.set(id, { status: 'skipped' })
  try {
    const claimed = leases.held.length ? await claim(ctx, leases.held) : []
    const claimedIds = new Set(claimed.map((c) => c.id))
    for (const id of leases.held) if (!claimedIds.has(id)) outcomes.set(id, { status: 'skipped' })
    if (!claimed.length) {
      await leases.release()
      return undefined
    }
    return { leases, claimed, render: await renderer(ctx, [...claimedIds], false) }
  } catch (error) {
    await leases.release()
    throw error
  }
}

/** Hands a prepared chunk's emails to SMTP one by one, each recorded before the next goes. */
async function deliver(ctx: AppContext, { claimed, render }: Prepared, outcomes: Map<string, SendOutcome>, stopping: () => boolean) {
  let next = 0
  // Handed to SMTP: never given back, even when recording it failed (it may have gone out).
  const handedOver = new Set<string>()
  try {
    for (; next < claimed.length && !stopping(); next++) {
      const { id, token } = claimed[next]
      try {
        const email = await render(id, token)
        handedOver.add(id)
        await ctx.mailer.send({ ...email, kind: 'survey-invitation' })
      } catch (error) {
        if (error instanceof RecipientRejectedError) {
          await ctx.db.execute(sql`update invitations set delivery_status = 'rejected', last_error = ${error.response.slice(0, 500)} where id = ${id}`)
          outcomes.set(id, { status: 'rejected' })
        } else {
          await ctx.db.execute(sql`update invitations set delivery_status = 'failed', last_error = ${String((error as Error).message).slice(0, 500)} where id = ${id}`)
          outcomes.set(id, { error })
        }
        continue
      }
      await ctx.db.execute(sql`update invitations set delivery_status = 'sent', sent_at = now(), last_error = null where id = ${id}`)
      outcomes.set(id, { status: 'sent' })
    }
  } finally {
    // Shutting down: give back the claims never handed to SMTP, as they were, so the next worker
    // sends them as if this one had never taken them.
    const unsent = claimed.slice(next).filter((c) => !outcomes.has(c.id) && !handedOver.has(c.id))
    if (unsent.length && stopping()) await giveBack(ctx, unsent)
  }
}

/** Claims the leased invitations that may be sent, each with a fresh token; what they were before is kept to give a claim back. */
async function claim(ctx: AppContext, invitationIds: string[]): Promise<ClaimedChunk[]> {
  const tokens = new Map(invitationIds.map((id) => [id, randomToken()]))
  const values = sql.join(
    [...tokens].map(([id, token]) => sql`(${id}::uuid, ${hashToken(token)})`),
    sql`, `,
  )
  const rows = await queryRows<Claimed & ClaimedChunk['before']>(
    ctx.db,
    sql`update invitations i set delivery_status = 'sending', claimed_at = now(), attempts = i.attempts + 1, token_hash = v.token_hash
        from (values ${values}) as v(id, token_hash), invitations prev, survey_rounds r, people p
        where i.id = v.id and prev.id = i.id and r.id = i.round_id and p.id = i.person_id
          and r.status = 'open' and r.closes_at > now() and p.active and i.responded_at is null
          and i.delivery_status in ('pending', 'failed', 'sending')
        returning i.id::text as id, i.round_id as "roundId", prev.delivery_status as status, prev.claimed_at::text as "claimedAt",
                  prev.attempts as attempts, prev.token_hash as "tokenHash"`,
  )
  const byId = new Map(rows.map((r) => [r.id, r]))
  // In the chunk's order, which is the jobs' order.
  return invitationIds.flatMap((id) => {
    const r = byId.get(id)
    return r ? [{ id, roundId: r.roundId, token: tokens.get(id)!, before: { status: r.status, claimedAt: r.claimedAt, attempts: r.attempts, tokenHash: r.tokenHash } }] : []
  })
}

/** Undoes claims that were never handed to SMTP (shutdown): status, claim time, attempts and token as before. */
async function giveBack(ctx: AppContext, claims: ClaimedChunk[]) {
  const values = sql.join(
    claims.map((c) => sql`(${c.id}::uuid, ${c.before.status}, ${c.before.claimedAt}::timestamptz, ${c.before.attempts}::smallint, ${c.before.tokenHash}::text)`),
    sql`, `,
  )
  await ctx.db.execute(
    sql`update invitations i set delivery_status = v.status, claimed_at = v.claimed_at, attempts = v.attempts, token_hash = v.token_hash
        from (values ${values}) as v(id, status, claimed_at, attempts, token_hash)
        where i.id = v.id and i.delivery_status = 'sending'`,
  )
}

/**
 * Queues a send job for every deliverable invitation that has none waiting: jobs held by a worker
 * that was killed stay `active` in pg-boss until they expire, and a job whose retries ran out
 * during a long SMTP outage leaves its invitation `failed`. The lease and the claim make a second
 * job for an invitation harmless, so this errs on the side of queueing.
 */
export async function requeueStalledInvitations(ctx: AppContext): Promise<number> {
  const stalled = await queryRows<{ id: string }>(
    ctx.db,
    sql`select i.id from invitations i join survey_rounds r on r.id = i.round_id join people p on p.id = i.person_id
        where r.status = 'open' and r.closes_at > now() and p.active and i.responded_at is null
          and i.delivery_status in ('pending', 'failed', 'sending')
          and coalesce(i.claimed_at, i.created_at) < now() - ${STALLED_AFTER}::interval
          and not exists (select 1 from pgboss.job j where j.name = 'surveys.send-invitation' and j.state in ('created', 'retry')
                          and j.data->>'invitationId' = i.id::text)
        order by i.created_at limit 5000`,
  )
  for (let i = 0; i < stalled.length; i += 500) {
    await ctx.jobs.boss.insert(stalled.slice(i, i + 500).map((s) => ({ name: 'surveys.send-invitation', data: { invitationId: s.id }, ...SEND_RETRY })))
  }
  if (stalled.length) ctx.logger.info({ invitations: stalled.length }, 'stalled invitations queued again')
  return stalled.length
}

/**
 * Sends reminder `number` (1–3) to a delivered invitation that is still unanswered. The counter
 * moves from number−1 to number in one UPDATE, so each reminder goes once.
 */
export async function sendReminder(ctx: AppContext, input: { invitationId: string; number: number }): Promise<'sent' | 'skipped'> {
  const [claimed] = await queryRows<Claimed>(
    ctx.db,
    sql`update invitations i set reminders_sent = ${input.number}, last_reminded_at = now()
        from survey_rounds r, people p
        where i.id = ${input.invitationId} and r.id = i.round_id and p.id = i.person_id
          and r.status = 'open' and r.closes_at > now() and p.active and i.responded_at is null
          and i.delivery_status = 'sent' and i.reminders_sent = ${input.number - 1}
        returning i.id, i.round_id as "roundId"`,
  )
  if (!claimed) return 'skipped'
  const token = randomToken()
  try {
    await ctx.db.execute(sql`insert into invitation_links (token_hash, invitation_id, purpose) values (${hashToken(token)}, ${input.invitationId}, 'reminder')`)
    const render = await renderer(ctx, [input.invitationId], true)
    await ctx.mailer.send({ ...await render(input.invitationId, token), kind: 'survey-reminder' })
  } catch (error) {
    // Give the counter back so the retry (or the next reminders tick) can send it; a refused recipient is final.
    if (error instanceof RecipientRejectedError) {
      await ctx.db.execute(sql`update invitations set delivery_status = 'rejected', last_error = ${error.response.slice(0, 500)} where id = ${input.invitationId}`)
      return 'skipped'
    }
    await ctx.db.execute(sql`update invitations set reminders_sent = ${input.number - 1} where id = ${input.invitationId} and reminders_sent = ${input.number}`)
    await ctx.db.execute(sql`delete from invitation_links where token_hash = ${hashToken(token)}`)
    throw error
  }
  return 'sent'
}

export type OpenInvitation = { invitationId: string; title: string; closesAt: string }

/** The signed-in person's unanswered invitations of open rounds (for /me). */
export async function listMyOpenInvitations(ctx: AppContext, personId: string): Promise<OpenInvitation[]> {
  const rows = await queryRows<{ invitationId: string; title: string; closesAt: string | Date }>(
    ctx.db,
    sql`select i.id as "invitationId", s.title, r.closes_at as "closesAt"
        from invitations i join survey_rounds r on r.id = i.round_id join surveys s on s.id = r.survey_id
        where i.person_id = ${personId} and i.responded_at is null and r.status = 'open' and r.closes_at > now()
        order by r.closes_at`,
  )
  return rows.map((r) => ({ ...r, closesAt: new Date(r.closesAt).toISOString() }))
}

/**
 * A fresh link to one of the person's own open invitations. Only hashes are stored, so the link in
 * the email cannot be shown again; this issues another one that works alongside it.
 */
export async function issueMyLink(ctx: AppContext, personId: string, invitationId: string): Promise<string | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(invitationId)) return null
  const token = randomToken()
  const rows = await queryRows<{ invitationId: string }>(
    ctx.db,
    sql`insert into invitation_links (token_hash, invitation_id, purpose)
        select ${hashToken(token)}, i.id, 'me' from invitations i join survey_rounds r on r.id = i.round_id
        where i.id = ${invitationId} and i.person_id = ${personId} and i.responded_at is null and r.status = 'open' and r.closes_at > now()
        returning invitation_id as "invitationId"`,
  )
  return rows.length ? `/s/${token}` : null
}

/**
 * Sending invitations and reminders. Each email carries a fresh 256-bit token created here, in the
 * worker, so the plain token exists only in the email; the database keeps its SHA-256.
 */
import { sql } from 'drizzle-orm'
import { createElement } from 'react'
import { queryRows } from '#db/client'
import type { PrivacyMode } from '#db/schema/surveys'
import { SurveyInvitationEmail, surveyInvitationSubject } from '#emails/survey-invitation'
import { hashToken, randomToken } from '~/auth/tokens.server'
import type { AppContext } from '~/context.server'
import { RecipientRejectedError } from '~/email/mailer.server'
import { renderEmail } from '~/email/render.server'
import { formatDate } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { privacyStatement } from '~/responses/privacy'
import { getSettings } from '~/settings/settings.server'
import { weDidForInvitation } from '~/insights/actions.server'
import { SEND_RETRY } from './rounds.server'

/**
 * While a process sends an invitation it holds a lease on it: a session advisory lock on
 * PostgreSQL (released by the server the moment that process dies or loses its connection), a
 * set in memory on PGlite (one process). Holding the lease means nobody else is sending it, so a
 * `sending` claim found then was left by a process that died mid-send and may be taken over at once.
 */
const LEASE_NAMESPACE = 0x5042
const leasedHere = new Set<string>()

async function takeLease(ctx: AppContext, invitationId: string): Promise<(() => Promise<void>) | null> {
  if (leasedHere.has(invitationId)) return null
  const pool = ctx.database.sql
  if (!pool) {
    leasedHere.add(invitationId)
    return async () => void leasedHere.delete(invitationId)
  }
  const connection = await pool.reserve()
  try {
    const [row] = await connection`select pg_try_advisory_lock(${LEASE_NAMESPACE}, hashtext(${invitationId})) as locked`
    if (!row.locked) {
      connection.release()
      return null
    }
  } catch (error) {
    connection.release()
    throw error
  }
  leasedHere.add(invitationId)
  return async () => {
    leasedHere.delete(invitationId)
    // A broken connection has lost the lock already; postgres.js discards it on release.
    await connection`select pg_advisory_unlock(${LEASE_NAMESPACE}, hashtext(${invitationId}))`.catch(() => {})
    connection.release()
  }
}

/** How long an undelivered invitation may sit without a queued job before the sweep queues one. */
const STALLED_AFTER = '30 seconds'

type Claimed = { id: string; roundId: string }

type EmailFacts = { invitationId: string; email: string; name: string; locale: Locale | null; title: string; privacy: PrivacyMode; closesAt: string | Date; thresholdScores: number }

async function emailFacts(ctx: AppContext, invitationId: string) {
  const [row] = await queryRows<EmailFacts>(
    ctx.db,
    sql`select i.id::text as "invitationId", p.email, p.name, p.locale, s.title, r.privacy, r.closes_at as "closesAt", r.threshold_scores as "thresholdScores"
        from invitations i join people p on p.id = i.person_id join survey_rounds r on r.id = i.round_id join surveys s on s.id = r.survey_id
        where i.id = ${invitationId}`,
  )
  return row
}

async function render(ctx: AppContext, facts: EmailFacts, token: string, reminder: boolean) {
  const settings = await getSettings(ctx.db)
  const locale = facts.locale ?? settings.defaultLocale
  const props = {
    locale,
    name: facts.name,
    title: facts.title,
    url: `${ctx.env.APP_URL}/s/${token}`,
    closesOn: formatDate(locale, new Date(facts.closesAt), settings.timezone),
    privacy: privacyStatement(facts.privacy, locale, facts.thresholdScores),
    reminder,
    weDid: await weDidForInvitation(ctx.db, facts.invitationId),
  }
  const { html, text } = await renderEmail(createElement(SurveyInvitationEmail, props))
  return { to: facts.email, subject: surveyInvitationSubject(props), html, text }
}

/**
 * Sends one invitation. Under the lease, the claim (pending/failed/abandoned sending → sending, in
 * one UPDATE … RETURNING) lets exactly one job send it; a refused recipient becomes `rejected` for
 * good; any other failure becomes `failed` and is rethrown so pg-boss retries with backoff.
 */
export async function sendInvitation(ctx: AppContext, invitationId: string): Promise<'sent' | 'skipped' | 'rejected'> {
  const release = await takeLease(ctx, invitationId)
  // Another worker is sending it right now: it will deliver it or fail and retry its own job.
  if (!release) return 'skipped'
  try {
    return await sendLeased(ctx, invitationId)
  } finally {
    await release()
  }
}

async function sendLeased(ctx: AppContext, invitationId: string): Promise<'sent' | 'skipped' | 'rejected'> {
  const token = randomToken()
  const [claimed] = await queryRows<Claimed>(
    ctx.db,
    sql`update invitations i set delivery_status = 'sending', claimed_at = now(), attempts = attempts + 1, token_hash = ${hashToken(token)}
        from survey_rounds r, people p
        where i.id = ${invitationId} and r.id = i.round_id and p.id = i.person_id
          and r.status = 'open' and r.closes_at > now() and p.active and i.responded_at is null
          and i.delivery_status in ('pending', 'failed', 'sending')
        returning i.id, i.round_id as "roundId"`,
  )
  if (!claimed) return 'skipped'
  const facts = await emailFacts(ctx, invitationId)
  try {
    const email = await render(ctx, facts, token, false)
    await ctx.mailer.send({ ...email, kind: 'survey-invitation' })
  } catch (error) {
    if (error instanceof RecipientRejectedError) {
      await ctx.db.execute(sql`update invitations set delivery_status = 'rejected', last_error = ${error.response.slice(0, 500)} where id = ${invitationId}`)
      return 'rejected'
    }
    await ctx.db.execute(sql`update invitations set delivery_status = 'failed', last_error = ${String((error as Error).message).slice(0, 500)} where id = ${invitationId}`)
    throw error
  }
  await ctx.db.execute(sql`update invitations set delivery_status = 'sent', sent_at = now(), last_error = null where id = ${invitationId}`)
  return 'sent'
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
    const facts = await emailFacts(ctx, input.invitationId)
    const email = await render(ctx, facts, token, true)
    await ctx.mailer.send({ ...email, kind: 'survey-reminder' })
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

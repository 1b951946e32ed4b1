import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { recordAudit } from '~/audit/audit.server'

/** What an erasure removed or detached, by kind; written to the audit log (counts only, no personal data). */
export type ErasureCounts = {
  responsesAnonymised: number
  invitationsRemoved: number
  privateNotesDeleted: number
  meetingsDeleted: number
  sessionsEnded: number
  signInLinksRevoked: number
  apiKeysRevoked: number
  ownerMappingsRemoved: number
  dealsUnmapped: number
  leadsUnmapped: number
  outboxMessagesDeleted: number
  auditEntriesScrubbed: number
}

export type ErasureOutcome = { ok: true; counts: ErasureCounts } | { ok: false; reason: 'not-found' | 'self' | 'confirmation' }

async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`with changed as (${query} returning 1) select count(*)::int as n from changed`)
  return rows[0]?.n ?? 0
}

/**
 * Erases a person (the right to erasure), in one transaction, all or nothing:
 *
 * - their survey responses stay, detached from them (person_id and invitation_id null) with their
 *   team at the time and their day, exactly like anonymous responses, so every round's results keep
 *   their scores and comments;
 * - their invitations are deleted (a past round's invited/responded counts lose them);
 * - their private 1:1 notes are deleted, and so is every 1:1 meeting they took part in, with its
 *   shared notes, agenda, action items and check-ins (a record about them held jointly with one
 *   other person; the other participant's private notes on those meetings go with the meeting);
 * - sessions and sign-in links end, API keys they created are revoked;
 * - CRM deals and leads they owned stay in the organisation's funnel, unmapped (owner_id null), and
 *   their owner-key mappings are removed, so a later import does not map them again;
 * - dev-outbox copies of emails to them are deleted, rate-limit counters keyed by their email too,
 *   and earlier audit entries about them lose the email they recorded;
 * - the people row is deleted; references elsewhere (team manager, reports' manager, authorship of
 *   surveys, actions, replies, imports) become null through their foreign keys.
 *
 * The audit entry names the acting admin and the erased id (a random uuid, nothing else about the person).
 */
export async function erasePerson(db: Db, input: { personId: string; actorId: string; confirmEmail: string }): Promise<ErasureOutcome> {
  if (input.personId === input.actorId) return { ok: false, reason: 'self' }
  return db.transaction(async (tx) => {
    const [person] = await queryRows<{ id: string; email: string }>(tx, sql`select id, email from people where id = ${input.personId}::uuid for update`)
    if (!person) return { ok: false, reason: 'not-found' } as const
    if (person.email.trim().toLowerCase() !== input.confirmEmail.trim().toLowerCase()) return { ok: false, reason: 'confirmation' } as const
    const id = person.id
    const email = person.email.toLowerCase()
    const counts: ErasureCounts = {
      responsesAnonymised: await count(
        tx,
        sql`update responses set person_id = null, invitation_id = null
             where person_id = ${id}::uuid or invitation_id in (select i.id from invitations i where i.person_id = ${id}::uuid)`,
      ),
      invitationsRemoved: await count(tx, sql`delete from invitations where person_id = ${id}::uuid`),
      privateNotesDeleted: await count(tx, sql`delete from one_on_one_private_notes where author_id = ${id}::uuid`),
      meetingsDeleted: await count(tx, sql`delete from one_on_ones where manager_id = ${id}::uuid or report_id = ${id}::uuid`),
      sessionsEnded: await count(tx, sql`delete from sessions where person_id = ${id}::uuid`),
      signInLinksRevoked: await count(tx, sql`delete from sign_in_tokens where person_id = ${id}::uuid`),
      apiKeysRevoked: await count(tx, sql`update api_keys set revoked_at = now() where created_by_id = ${id}::uuid and revoked_at is null`),
      ownerMappingsRemoved: await count(tx, sql`delete from owner_mappings where person_id = ${id}::uuid`),
      dealsUnmapped: await count(tx, sql`update opportunities set owner_id = null where owner_id = ${id}::uuid`),
      leadsUnmapped: await count(tx, sql`update leads set owner_id = null where owner_id = ${id}::uuid`),
      // "to" is the bare address or "Name <address>": match the whole address, never a longer one containing it.
      outboxMessagesDeleted: await count(tx, sql`delete from outbox where lower("to") = ${email} or right(lower("to"), ${email.length + 2}) = ${`<${email}>`}`),
      auditEntriesScrubbed: await count(
        tx,
        sql`update audit_log set details = details - 'email', target = case when lower(target) = ${email} then null else target end
             where (target = ${id} and details ->> 'email' is not null) or lower(target) = ${email}`,
      ),
    }
    await tx.execute(sql`delete from rate_limits where key like ${`%:${email.replace(/[\\%_]/g, (c) => `\\${c}`)}`}`)
    await tx.execute(sql`delete from one_on_one_pairs where manager_id = ${id}::uuid or report_id = ${id}::uuid`)
    await tx.execute(sql`delete from people where id = ${id}::uuid`)
    await recordAudit(tx, { actorId: input.actorId, action: 'person.erased', target: id, details: counts })
    return { ok: true, counts } as const
  })
}

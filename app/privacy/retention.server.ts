import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { recordAudit } from '~/audit/audit.server'

export type RetentionRun = { months: number; cutoff: string; commentsDeleted: number; repliesDeleted: number; responsesDetached: number }

/**
 * Applies the retention setting (settings.retention_months; null = keep everything, the default).
 * Responses submitted before the cutoff (today in the organisation's time zone minus N months):
 *
 * - their comments (free-text answers) are deleted, with the replies written to them: free text is
 *   what can identify a person, and it has no aggregate to keep;
 * - the responses themselves are detached from their respondent, invitation and private reply link
 *   (person_id, invitation_id, reply_token_hash set to null), keeping only team and day as anonymous
 *   responses do, so their scores keep feeding the results history.
 *
 * One transaction, idempotent (a second run the same day changes nothing), audited with its counts.
 * Returns null when retention is off.
 */
export async function runRetention(db: Db, options: { today?: string } = {}): Promise<RetentionRun | null> {
  return db.transaction(async (tx) => {
    const [setting] = await queryRows<{ months: number | null; cutoff: string | null }>(
      tx,
      sql`select retention_months as months,
                 to_char(coalesce(${options.today ?? null}::date, (now() at time zone timezone)::date) - make_interval(months => retention_months), 'YYYY-MM-DD') as cutoff
            from settings where id = 1`,
    )
    if (!setting?.months || !setting.cutoff) return null
    const cutoff = setting.cutoff
    const old = sql`select id from responses where submitted_on < ${cutoff}::date`
    const deleted = (query: ReturnType<typeof sql>) => queryRows<{ n: number }>(tx, sql`with changed as (${query} returning 1) select count(*)::int as n from changed`).then((rows) => rows[0].n)
    const replies = await deleted(sql`delete from comment_replies where answer_id in (select a.id from answers a where a.type = 'text' and a.response_id in (${old}))`)
    const comments = await deleted(sql`delete from answers where type = 'text' and response_id in (${old})`)
    const detached = await deleted(
      sql`update responses set person_id = null, invitation_id = null, reply_token_hash = null
           where id in (${old}) and (person_id is not null or invitation_id is not null or reply_token_hash is not null)`,
    )
    const counts = { comments, replies, responses: detached }
    const run: RetentionRun = { months: setting.months, cutoff, commentsDeleted: counts.comments, repliesDeleted: counts.replies, responsesDetached: counts.responses }
    await recordAudit(tx, { action: 'retention.run', target: 'responses', details: run })
    return run
  })
}

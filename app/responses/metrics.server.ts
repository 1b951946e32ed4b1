/**
 * The aggregate queries behind every results screen, export and API endpoint. They return counts
 * per (bucket, group) only — never a person's answer — and every group's distinct respondents, so
 * that `applyThresholds` (results-privacy.server.ts) can decide what may be shown.
 *
 * Groups: 'org' (everyone) and each team rolled up with all its sub-teams (a parent's n includes
 * its children's, as suppressGroups expects). A response counts under responses.team_id: the
 * team at the time for sent surveys, the person's team at import time for imported history.
 *
 * Buckets: a calendar period (date_trunc on submitted_on, the organisation-local day the response
 * was submitted; weeks start on Monday), a round, or the whole selection.
 */
import { type SQL, sql } from 'drizzle-orm'
import { type Db, analyticsRows, queryRows } from '#db/client'
import { FAVOURABLE_MIN } from './drivers'
import { PASSIVE_MIN, PROMOTER_MIN } from './enps'

export type PeriodUnit = 'week' | 'month' | 'quarter'
export type Bucketing = { by: 'period'; unit: PeriodUnit } | { by: 'round' } | { by: 'all' }
export type Selection = { from?: string; to?: string; surveyId?: string; roundIds?: string[] }

/** Every team with every one of its descendants (itself included). */
const teamTree = sql`tree(ancestor_id, team_id) as (
  select id, id from teams
  union
  select tree.ancestor_id, t.id from teams t join tree on t.parent_id = tree.team_id
)`

/**
 * The bucket as a typed key (a date, a round id or a constant): grouping and sorting on dates and
 * uuids instead of their text is what keeps a year of answers in memory and quick.
 */
function bucketSql(bucketing: Bucketing): SQL {
  if (bucketing.by === 'period') return sql`date_trunc(${bucketing.unit}, r.submitted_on::timestamp)::date`
  if (bucketing.by === 'round') return sql`r.round_id`
  return sql`0`
}

/** The bucket as the text the callers get: YYYY-MM-DD, the round id or 'all'. */
function bucketText(bucketing: Bucketing, column: string): SQL {
  if (bucketing.by === 'period') return sql`to_char(${sql.raw(column)}, 'YYYY-MM-DD')`
  if (bucketing.by === 'round') return sql`${sql.raw(column)}::text`
  return sql`'all'`
}

/** Groups are keyed by team id, the organisation by null, until the final text ('org' or the id). */
const groupText = (column: string) => sql`coalesce(${sql.raw(column)}::text, 'org')`

function whereSql(selection: Selection): SQL {
  const conditions: SQL[] = [sql`true`]
  if (selection.from) conditions.push(sql`r.submitted_on >= ${selection.from}::date`)
  if (selection.to) conditions.push(sql`r.submitted_on <= ${selection.to}::date`)
  if (selection.surveyId) conditions.push(sql`r.survey_id = ${selection.surveyId}::uuid`)
  if (selection.roundIds) {
    if (selection.roundIds.length === 0) conditions.push(sql`false`)
    else conditions.push(sql`r.round_id in (${sql.join(selection.roundIds.map((id) => sql`${id}::uuid`), sql`, `)})`)
  }
  return sql.join(conditions, sql` and `)
}

type Grouped = { bucket: string; groupId: string; threshold: number }

/** Which groups an aggregate covers: the organisation and every team (with its sub-teams), or the organisation alone. */
export type Groups = 'all' | 'org'

export type EnpsAggregate = Grouped & { n: number; promoters: number; passives: number; detractors: number }

/**
 * eNPS counts per bucket and group (DESIGN.md §4): within a bucket each person's latest eNPS
 * answer counts once; anonymous responses (no person) count only from the latest round of their
 * survey in the bucket, so a person answering two anonymous rounds is not counted twice.
 */
export async function enpsAggregates(db: Db, selection: Selection, bucketing: Bucketing, groups: Groups = 'all'): Promise<EnpsAggregate[]> {
  return analyticsRows<EnpsAggregate>(
    db,
    sql`with recursive ${teamTree},
      base as (
        select ${bucketSql(bucketing)} as bucket, r.id, r.person_id, r.team_id, r.survey_id, r.round_id, r.submitted_on,
               sr.opens_at, sr.threshold_scores, a.value_number as score
        from responses r
        join survey_rounds sr on sr.id = r.round_id
        join answers a on a.response_id = r.id and a.type = 'enps' and a.value_number is not null
        where ${whereSql(selection)}
      ),
      latest_person as (
        select distinct on (bucket, person_id) bucket, team_id, score, threshold_scores
        from base where person_id is not null
        order by bucket, person_id, submitted_on desc, opens_at desc, id desc
      ),
      anon as (
        select bucket, team_id, score, threshold_scores from (
          select base.*, dense_rank() over (partition by bucket, survey_id order by opens_at desc, round_id desc) as rank
          from base where person_id is null
        ) ranked where rank = 1
      ),
      counted as (select * from latest_person union all select * from anon),
      grouped as (
        select bucket, null::uuid as group_id, count(*)::int as n,
               count(*) filter (where score >= ${PROMOTER_MIN})::int as promoters,
               count(*) filter (where score >= ${PASSIVE_MIN} and score < ${PROMOTER_MIN})::int as passives,
               count(*) filter (where score < ${PASSIVE_MIN})::int as detractors,
               max(threshold_scores)::int as threshold
        from counted group by bucket
        ${
          groups === 'all'
            ? sql`union all
        select c.bucket, tree.ancestor_id, count(*)::int,
               count(*) filter (where score >= ${PROMOTER_MIN})::int,
               count(*) filter (where score >= ${PASSIVE_MIN} and score < ${PROMOTER_MIN})::int,
               count(*) filter (where score < ${PASSIVE_MIN})::int,
               max(threshold_scores)::int
        from counted c join tree on tree.team_id = c.team_id
        group by c.bucket, tree.ancestor_id`
            : sql``
        }
      )
      select ${bucketText(bucketing, 'bucket')} as bucket, ${groupText('group_id')} as "groupId", n, promoters, passives, detractors, threshold from grouped order by 1, 2`,
  )
}

export type DriverAggregate = Grouped & { driver: string; n: number; answers: number; mean: number; favourable: number }

/**
 * Driver scores per bucket, group and driver: 5-point agreement answers, respondents counted once.
 * Each respondent's answers are first summed per bucket, team and driver, so the groups count
 * respondents with plain hash aggregates instead of a distinct count over every answer; the mean
 * is the same numeric division avg() makes.
 */
export async function driverAggregates(db: Db, selection: Selection, bucketing: Bucketing, groups: Groups = 'all'): Promise<DriverAggregate[]> {
  return analyticsRows<DriverAggregate>(
    db,
    sql`with recursive ${teamTree},
      base as (
        select ${bucketSql(bucketing)} as bucket, coalesce(r.person_id, r.id) as respondent, r.team_id, a.driver,
               count(*) as answers, sum(a.value_number) as total, count(*) filter (where a.value_number >= ${FAVOURABLE_MIN}) as favourable,
               max(sr.threshold_scores) as threshold
        from responses r
        join survey_rounds sr on sr.id = r.round_id
        join answers a on a.response_id = r.id and a.type = 'agreement' and a.driver is not null and a.value_number is not null
        where ${whereSql(selection)}
        group by 1, 2, 3, 4
      ),
      per_respondent as (
        select bucket, null::uuid as group_id, driver, respondent, sum(answers) as answers, sum(total) as total, sum(favourable) as favourable, max(threshold) as threshold
        from base group by bucket, driver, respondent
        ${
          groups === 'all'
            ? sql`union all
        select b.bucket, tree.ancestor_id, b.driver, b.respondent, sum(b.answers), sum(b.total), sum(b.favourable), max(b.threshold)
        from base b join tree on tree.team_id = b.team_id
        group by b.bucket, tree.ancestor_id, b.driver, b.respondent`
            : sql``
        }
      )
      select ${bucketText(bucketing, 'bucket')} as bucket, ${groupText('group_id')} as "groupId", driver, count(*)::int as n, sum(answers)::int as answers,
             (sum(total)::numeric / sum(answers)::numeric)::float8 as mean, sum(favourable)::int as favourable, max(threshold)::int as threshold
      from per_respondent group by bucket, group_id, driver
      order by 1, 2, 3`,
  )
}

export type QuestionAggregate = Grouped & { questionKey: string; type: string; n: number; answers: number; mean: number; distribution: Record<string, number> }

/**
 * Each numeric question's respondents, mean and count per answer value, per bucket and group.
 * Answers are first counted per respondent, team, question and value, then per group.
 */
export async function questionAggregates(db: Db, selection: Selection, bucketing: Bucketing): Promise<QuestionAggregate[]> {
  return analyticsRows<QuestionAggregate>(
    db,
    sql`with recursive ${teamTree},
      base as (
        select ${bucketSql(bucketing)} as bucket, coalesce(r.person_id, r.id) as respondent, r.team_id,
               a.question_key, min(a.type) as type, a.value_number as v, count(*) as c, max(sr.threshold_scores) as threshold
        from responses r
        join survey_rounds sr on sr.id = r.round_id
        join answers a on a.response_id = r.id and a.value_number is not null and a.type <> 'text'
        where ${whereSql(selection)}
        group by 1, 2, 3, 4, 6
      ),
      g as (
        select bucket, null::uuid as group_id, respondent, question_key, type, v, c, threshold from base
        union all
        select b.bucket, tree.ancestor_id, b.respondent, b.question_key, b.type, b.v, b.c, b.threshold from base b join tree on tree.team_id = b.team_id
      ),
      per_respondent as (
        select bucket, group_id, question_key, respondent, min(type) as type, sum(c) as answers, sum(v * c) as total, max(threshold) as threshold
        from g group by bucket, group_id, question_key, respondent
      ),
      stats as (
        select bucket, group_id, question_key, min(type) as type, count(*)::int as n, sum(answers)::int as answers,
               (sum(total)::numeric / sum(answers)::numeric)::float8 as mean, max(threshold)::int as threshold
        from per_respondent group by bucket, group_id, question_key
      ),
      dist as (
        select bucket, group_id, question_key, jsonb_object_agg(v::text, c) as distribution
        from (select bucket, group_id, question_key, v, sum(c)::int as c from g group by bucket, group_id, question_key, v) per_value
        group by bucket, group_id, question_key
      )
      select ${bucketText(bucketing, 's.bucket')} as bucket, ${groupText('s.group_id')} as "groupId", s.question_key as "questionKey", s.type, s.n, s.answers, s.mean, d.distribution, s.threshold
      from stats s join dist d on d.bucket = s.bucket and d.group_id is not distinct from s.group_id and d.question_key = s.question_key
      order by 1, 2, 3`,
  )
}

export type RespondentAggregate = Grouped & { n: number; thresholdComments: number }

/** Distinct respondents per bucket and group, whatever they answered (decides comments and rates). */
export async function respondentAggregates(db: Db, selection: Selection, bucketing: Bucketing, groups: Groups = 'all'): Promise<RespondentAggregate[]> {
  return analyticsRows<RespondentAggregate>(
    db,
    sql`with recursive ${teamTree},
      base as (
        select ${bucketSql(bucketing)} as bucket, coalesce(r.person_id, r.id) as respondent, r.team_id,
               max(sr.threshold_scores) as threshold_scores, max(sr.threshold_comments) as threshold_comments
        from responses r join survey_rounds sr on sr.id = r.round_id
        where ${whereSql(selection)}
        group by 1, 2, 3
      ),
      per_respondent as (
        select bucket, null::uuid as group_id, respondent, max(threshold_scores) as threshold_scores, max(threshold_comments) as threshold_comments
        from base group by bucket, respondent
        ${
          groups === 'all'
            ? sql`union all
        select b.bucket, tree.ancestor_id, b.respondent, max(b.threshold_scores), max(b.threshold_comments)
        from base b join tree on tree.team_id = b.team_id group by b.bucket, tree.ancestor_id, b.respondent`
            : sql``
        }
      )
      select ${bucketText(bucketing, 'bucket')} as bucket, ${groupText('group_id')} as "groupId", count(*)::int as n, max(threshold_scores)::int as threshold,
             max(threshold_comments)::int as "thresholdComments"
      from per_respondent group by bucket, group_id order by 1, 2`,
  )
}

export type InvitationAggregate = { roundId: string; groupId: string; invited: number; responded: number }

/** Invited and responded counts per round and group (people counted under their current team). */
export async function invitationAggregates(db: Db, roundIds: string[]): Promise<InvitationAggregate[]> {
  if (roundIds.length === 0) return []
  return analyticsRows<InvitationAggregate>(
    db,
    sql`with recursive ${teamTree},
      base as (
        select i.round_id, p.team_id, (i.responded_at is not null) as responded
        from invitations i join people p on p.id = i.person_id
        where i.round_id in (${sql.join(roundIds.map((id) => sql`${id}::uuid`), sql`, `)})
      )
      select round_id::text as "roundId", 'org' as "groupId", count(*)::int as invited, count(*) filter (where responded)::int as responded
      from base group by round_id
      union all
      select b.round_id::text, tree.ancestor_id::text, count(*)::int, count(*) filter (where b.responded)::int
      from base b join tree on tree.team_id = b.team_id group by b.round_id, tree.ancestor_id`,
  )
}

/**
 * Free-text answers of one group in the given rounds, as text only (no date, no author), sorted.
 * The answer id is for the server alone (replies address a comment through an encrypted
 * reference, app/replies/reference.server.ts): it must never reach a page, an export or the API.
 */
export async function commentTexts(db: Db, selection: Selection, groupId: 'org' | string): Promise<{ text: string; answerId: string }[]> {
  const teamFilter =
    groupId === 'org'
      ? sql`true`
      : sql`r.team_id in (with recursive ${teamTree} select team_id from tree where ancestor_id = ${groupId}::uuid)`
  return queryRows<{ text: string; answerId: string }>(
    db,
    sql`select a.value_text as text, a.id::text as "answerId" from responses r join answers a on a.response_id = r.id
        where ${whereSql(selection)} and ${teamFilter} and a.type = 'text' and coalesce(btrim(a.value_text), '') <> ''
        order by a.value_text`,
  )
}

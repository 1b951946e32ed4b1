/**
 * The one path for every figure derived from answers (docs/privacy.md). Results, the home
 * dashboard, the print view, every CSV export and API endpoint, the 1:1 prep panel, digests, the
 * leadership report, signals, action impact and response rates read sentiment here, and only
 * here; no other module reads `answers` or `responses` for a figure (test/unit/privacy-paths.test.ts).
 *
 * What it publishes:
 * - a closed round's groups and cells as frozen at close (app/responses/freeze.server.ts), each
 *   with its privacy decision taken then; open rounds publish no figure;
 * - period buckets (calendar week, month, quarter, from whole rounds): a bucket's figure for a
 *   group is the sum of its rounds' cells, shown only when every one of those cells is shown;
 *   for eNPS the bucket is the latest round of each survey in it (each person's latest answer);
 * - longer windows: the sum of the shown buckets the window covers, saying how many were left out.
 * Every published figure is therefore a sum of cells that are themselves shown, and the cells of a
 * round are protected against subtraction together: no combination of requests isolates a group
 * smaller than the round's threshold (the auditor, test/integration/privacy-auditor.test.ts).
 */
import { sql } from 'drizzle-orm'
import { type Db, analyticsRows, queryRows } from '#db/client'
import type { RoundGroupKind } from '#db/schema/published'
import { type BucketUnit, type CoveredWindow, coveringWindow } from './buckets'
import type { Counts } from './figures'
import { suppressGroups } from './anonymity'
import { freezeClosedRounds } from './freeze.server'

export type { Counts } from './figures'

export type HiddenReason = 'below_threshold' | 'sibling_protection' | 'incomplete_bucket'

export type Published<T> = ({ shown: true } & T) | { shown: false; reason: HiddenReason }

export type PublishedCell = { bucket: string; groupKey: string; measure: string } & Published<Counts & { rounds: number; distribution?: Record<string, number> | null }>

export type RoundGroup = {
  roundId: string
  groupKey: string
  kind: RoundGroupKind
  teamId: string | null
  parentKey: string | null
  name: string
  depth: number
  invited: number
  respondents: Published<{ n: number }>
  comments: Published<Record<never, never>>
}

/**
 * Rounds closed since the last look are frozen before anything is read (a no-op through an index
 * otherwise). The close job freezes a round as it closes, and its five-minute tick sweeps any left
 * (a database of an earlier version); a reader freezes at most a few, so no request waits for a
 * backlog (a round not frozen yet publishes nothing yet). A round another process is freezing is
 * waited for (half a second at enterprise scale), so the reads that follow see it whole: skipping
 * it would let two parallel reads of one page see it before and after.
 */
export const READER_FREEZE_LIMIT = 25

export async function ensurePublished(db: Db): Promise<void> {
  await freezeClosedRounds(db, READER_FREEZE_LIMIT)
}

const uuidList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)
const textList = (keys: readonly string[]) => sql.join(keys.map((k) => sql`${k}`), sql`, `)

function counts(row: Counts): Counts {
  return {
    n: Number(row.n),
    answers: Number(row.answers),
    total: Number(row.total),
    favourable: Number(row.favourable),
    promoters: Number(row.promoters),
    passives: Number(row.passives),
    detractors: Number(row.detractors),
    ySquares: Number(row.ySquares),
    yTimesM: Number(row.yTimesM),
    mSquares: Number(row.mSquares),
  }
}

type CellRow = Counts & { bucket: string; groupKey: string; measure: string; shown: boolean; reason: HiddenReason | null; rounds: number; distribution: Record<string, number> | null }

function toCell(row: CellRow): PublishedCell {
  const base = { bucket: row.bucket, groupKey: row.groupKey, measure: row.measure }
  if (!row.shown) return { ...base, shown: false, reason: row.reason ?? 'below_threshold' }
  return { ...base, shown: true, rounds: Number(row.rounds), distribution: row.distribution, ...counts(row) }
}

/** The frozen groups of closed rounds: who was invited and answered, and what may be shown of each. */
export async function roundGroups(db: Db, roundIds: readonly string[], filter: { groupKeys?: readonly string[] } = {}): Promise<RoundGroup[]> {
  if (roundIds.length === 0) return []
  await ensurePublished(db)
  const rows = await queryRows<{
    roundId: string
    groupKey: string
    kind: RoundGroupKind
    teamId: string | null
    parentKey: string | null
    name: string
    depth: number
    invited: number
    respondents: number
    shown: boolean
    reason: HiddenReason | null
    commentsShown: boolean
    commentsReason: HiddenReason | null
  }>(
    db,
    sql`select g.round_id::text as "roundId", g.group_key as "groupKey", g.kind, g.team_id::text as "teamId", g.parent_key as "parentKey", g.name, g.depth,
               g.invited, g.respondents, g.shown, g.reason, g.comments_shown as "commentsShown", g.comments_reason as "commentsReason"
        from round_groups g join survey_rounds sr on sr.id = g.round_id and sr.frozen_at is not null
        where g.round_id in (${uuidList(roundIds)})
          ${filter.groupKeys ? (filter.groupKeys.length ? sql`and g.group_key in (${textList(filter.groupKeys)})` : sql`and false`) : sql``}
        order by g.round_id, g.depth, g.name, g.group_key`,
  )
  return rows.map((r) => ({
    roundId: r.roundId,
    groupKey: r.groupKey,
    kind: r.kind,
    teamId: r.teamId,
    parentKey: r.parentKey,
    name: r.name,
    depth: r.depth,
    invited: r.invited,
    respondents: r.shown ? { shown: true, n: r.respondents } : { shown: false, reason: r.reason ?? 'below_threshold' },
    comments: r.commentsShown ? { shown: true } : { shown: false, reason: r.commentsReason ?? 'below_threshold' },
  }))
}

/** The cells of closed rounds (bucket = the round id), optionally for some measures (a prefix ending in ':' takes a kind) or groups only. */
export async function roundCells(db: Db, roundIds: readonly string[], filter: { measures?: readonly string[]; groupKeys?: readonly string[] } = {}): Promise<PublishedCell[]> {
  if (roundIds.length === 0) return []
  await ensurePublished(db)
  const rows = await queryRows<CellRow>(
    db,
    sql`select c.round_id::text as bucket, c.group_key as "groupKey", c.measure, c.shown, c.reason, 1 as rounds,
               c.n, c.answers, c.total, c.favourable, c.promoters, c.passives, c.detractors,
               c.y_squares as "ySquares", c.y_times_m as "yTimesM", c.m_squares as "mSquares", c.distribution
        from round_cells c join round_groups g on g.round_id = c.round_id and g.group_key = c.group_key and g.kind in ('org', 'team')
        where c.round_id in (${uuidList(roundIds)})
          ${filter.measures ? sql`and ${measureFilter(filter.measures)}` : sql``}
          ${filter.groupKeys ? (filter.groupKeys.length ? sql`and c.group_key in (${textList(filter.groupKeys)})` : sql`and false`) : sql``}
        order by c.round_id, c.group_key, c.measure`,
  )
  return rows.map(toCell)
}

export type PeriodRequest = {
  unit: BucketUnit
  from: string
  to: string
  /** Measures: 'enps', 'driver:<key>', 'question:<id>'; a prefix ending in ':' takes every measure of that kind. */
  measures: readonly string[]
  /** Group keys ('org' or team ids); all groups when omitted. */
  groupKeys?: readonly string[]
  /** Live rounds (the default) or imported history: the two never share a bucket. */
  source?: 'live' | 'imported'
  surveyId?: string
}

async function orgTimezone(db: Db): Promise<string> {
  const [row] = await queryRows<{ timezone: string }>(db, sql`select timezone from settings where id = 1`)
  return row?.timezone ?? 'Europe/Rome'
}

function measureFilter(measures: readonly string[], column = sql`c.measure`) {
  if (measures.length === 0) return sql`false`
  return sql`(${sql.join(
    measures.map((m) => (m.endsWith(':') ? sql`${column} like ${`${m}%`}` : sql`${column} = ${m}`)),
    sql` or `,
  )})`
}

/**
 * Period buckets over the whole periods that [from, to] covers. A bucket's cell for a group is
 * shown only when every round of the bucket that concerned the group (invited or answered) has its
 * cell for the measure shown; its figures are then the sum of those cells.
 */
export async function periodCells(db: Db, request: PeriodRequest): Promise<{ window: CoveredWindow; cells: PublishedCell[] }> {
  await ensurePublished(db)
  const window = coveringWindow(request.from, request.to, request.unit)
  const tz = await orgTimezone(db)
  const rows = await analyticsRows<CellRow>(
    db,
    sql`with rounds_in as (
          select sr.id, sr.survey_id, sr.opens_at, sr.questions, date_trunc(${request.unit}, sr.opens_at at time zone ${tz})::date as bucket
          from survey_rounds sr
          where sr.frozen_at is not null and sr.imported = ${request.source === 'imported'}
            and (sr.opens_at at time zone ${tz})::date between ${window.from}::date and ${window.to}::date
            ${request.surveyId ? sql`and sr.survey_id = ${request.surveyId}::uuid` : sql``}
        ),
        -- The measures a round asks, from its frozen questions: a round whose measure nobody answered
        -- is in its bucket all the same (no answer must look like few answers).
        asked as (
          select ri.id as round_id, case when q->>'type' = 'enps' then 'enps' when q->>'type' = 'agreement' and q->>'driver' is not null then 'driver:' || (q->>'driver') end as measure
          from rounds_in ri cross join lateral jsonb_array_elements(ri.questions) q
          union
          select ri.id, 'question:' || (q->>'id') from rounds_in ri cross join lateral jsonb_array_elements(ri.questions) q where q->>'type' <> 'text'
        ),
        carried as (
          select distinct ri.bucket, ri.id as round_id, ri.survey_id, ri.opens_at, a.measure
          from rounds_in ri join asked a on a.round_id = ri.id and a.measure is not null and ${measureFilter(request.measures, sql`a.measure`)}
        ),
        picked as (
          select bucket, round_id, measure from carried where measure <> 'enps'
          union all
          select bucket, round_id, measure from (
            select distinct on (bucket, survey_id) bucket, round_id, measure from carried where measure = 'enps'
            order by bucket, survey_id, opens_at desc, round_id desc
          ) latest
        ),
        needed as (
          select p.bucket, p.round_id, p.measure, g.group_key
          from picked p join round_groups g on g.round_id = p.round_id and g.kind in ('org', 'team')
          ${request.groupKeys ? (request.groupKeys.length ? sql`and g.group_key in (${textList(request.groupKeys)})` : sql`and false`) : sql``}
        )
        select to_char(n.bucket, 'YYYY-MM-DD') as bucket, n.group_key as "groupKey", n.measure,
               bool_and(coalesce(c.shown, false)) as shown,
               case when bool_or(coalesce(c.shown, false)) then 'incomplete_bucket'
                    when bool_or(c.reason = 'sibling_protection') then 'sibling_protection'
                    else 'below_threshold' end as reason,
               count(*)::int as rounds,
               coalesce(sum(c.n), 0)::int as n, coalesce(sum(c.answers), 0)::int as answers, coalesce(sum(c.total), 0)::float8 as total,
               coalesce(sum(c.favourable), 0)::int as favourable, coalesce(sum(c.promoters), 0)::int as promoters,
               coalesce(sum(c.passives), 0)::int as passives, coalesce(sum(c.detractors), 0)::int as detractors,
               coalesce(sum(c.y_squares), 0)::float8 as "ySquares", coalesce(sum(c.y_times_m), 0)::float8 as "yTimesM",
               coalesce(sum(c.m_squares), 0)::float8 as "mSquares", null::jsonb as distribution
        from needed n left join round_cells c on c.round_id = n.round_id and c.group_key = n.group_key and c.measure = n.measure
        group by n.bucket, n.group_key, n.measure
        order by 1, 2, 3`,
  )
  return { window, cells: rows.map(toCell) }
}

export type WindowCell = { groupKey: string; measure: string } & Published<Counts & { buckets: number }> & { omittedBuckets: number }

/**
 * One figure per group and measure over a longer window: the sum of the window's shown buckets
 * (for eNPS, the latest shown bucket), with the count of buckets left out because they were not
 * shown. Each bucket in it is itself published, so the sum tells nothing the buckets do not.
 */
export async function windowCells(db: Db, request: PeriodRequest): Promise<{ window: CoveredWindow; cells: WindowCell[] }> {
  const { window, cells } = await periodCells(db, request)
  const byKey = new Map<string, PublishedCell[]>()
  for (const cell of cells) {
    const key = `${cell.groupKey}\u0000${cell.measure}`
    byKey.set(key, [...(byKey.get(key) ?? []), cell])
  }
  const out: WindowCell[] = []
  for (const list of byKey.values()) {
    const { groupKey, measure } = list[0]
    const shown = list.filter((c): c is Extract<PublishedCell, { shown: true }> => c.shown)
    const omittedBuckets = list.length - shown.length
    if (shown.length === 0) {
      out.push({ groupKey, measure, shown: false, reason: 'below_threshold', omittedBuckets })
      continue
    }
    const used = measure === 'enps' ? [shown.reduce((a, b) => (a.bucket > b.bucket ? a : b))] : shown
    const sum = (k: keyof Counts) => used.reduce((s, c) => s + c[k], 0)
    out.push({
      groupKey,
      measure,
      shown: true,
      buckets: used.length,
      omittedBuckets,
      n: sum('n'),
      answers: sum('answers'),
      total: sum('total'),
      favourable: sum('favourable'),
      promoters: sum('promoters'),
      passives: sum('passives'),
      detractors: sum('detractors'),
      ySquares: sum('ySquares'),
      yTimesM: sum('yTimesM'),
      mSquares: sum('mSquares'),
    })
  }
  return { window, cells: out.sort((a, b) => (a.groupKey + a.measure < b.groupKey + b.measure ? -1 : 1)) }
}

/**
 * Participation of open rounds for groups with at least `threshold` invitees: how many answered,
 * counted up to the last full hour so that one response cannot be timed. Never who, never answers.
 */
export async function openParticipation(db: Db, roundIds: readonly string[]): Promise<{ roundId: string; groupKey: string; invited: number; responded: number }[]> {
  if (roundIds.length === 0) return []
  const rows = await queryRows<{ roundId: string; teamId: string | null; invited: number; responded: number; threshold: number }>(
    db,
    sql`select i.round_id::text as "roundId", p.team_id::text as "teamId", count(*)::int as invited,
               count(*) filter (where i.responded_at < date_trunc('hour', now()))::int as responded, max(sr.threshold_scores)::int as threshold
        from invitations i join people p on p.id = i.person_id join survey_rounds sr on sr.id = i.round_id and sr.status = 'open'
        where i.round_id in (${uuidList(roundIds)}) group by i.round_id, p.team_id`,
  )
  const teams = await queryRows<{ id: string; parentId: string | null }>(db, sql`select id::text as id, parent_id::text as "parentId" from teams`)
  const parent = new Map(teams.map((t) => [t.id, t.parentId]))
  const totals = new Map<string, { roundId: string; groupKey: string; invited: number; responded: number; threshold: number }>()
  const add = (roundId: string, groupKey: string, row: { invited: number; responded: number; threshold: number }) => {
    const key = `${roundId}\u0000${groupKey}`
    const t = totals.get(key) ?? { roundId, groupKey, invited: 0, responded: 0, threshold: row.threshold }
    t.invited += row.invited
    t.responded += row.responded
    totals.set(key, t)
  }
  for (const row of rows) {
    add(row.roundId, 'org', row)
    const seen = new Set<string>()
    for (let t = row.teamId; t && !seen.has(t); t = parent.get(t) ?? null) {
      seen.add(t)
      add(row.roundId, t, row)
    }
  }
  // Shown only for groups whose invitees pass the region rule: a parent of 6 minus a child of 5
  // must not tell whether one person has answered.
  const out: { roundId: string; groupKey: string; invited: number; responded: number }[] = []
  for (const roundId of new Set(rows.map((r) => r.roundId))) {
    const mine = [...totals.values()].filter((t) => t.roundId === roundId)
    const threshold = mine[0]?.threshold ?? 0
    const visible = suppressGroups(
      mine.map((t) => ({ id: t.groupKey, parentId: t.groupKey === 'org' ? null : (parent.get(t.groupKey) ?? 'org'), n: t.invited })),
      threshold,
    )
    for (const v of visible) if (v.shown) {
      const t = mine.find((x) => x.groupKey === v.id)!
      out.push({ roundId, groupKey: t.groupKey, invited: t.invited, responded: t.responded })
    }
  }
  return out
}

/**
 * The free-text answers of one group in a closed round, as text only, for a group whose comments
 * are shown (the caller checks `comments.shown` of its round group first). The answer id is for the
 * server alone (replies address a comment by an encrypted reference, app/replies/reference.server.ts).
 */
export async function commentTexts(db: Db, roundId: string, groupKey: string): Promise<{ text: string; answerId: string }[]> {
  return queryRows<{ text: string; answerId: string }>(
    db,
    sql`select a.value_text as text, a.id::text as "answerId" from responses r join answers a on a.response_id = r.id
        join round_groups g on g.round_id = r.round_id and g.group_key = ${groupKey} and g.comments_shown
        where r.round_id = ${roundId}::uuid and ${groupKey} = any(r.group_path) and a.type = 'text' and coalesce(btrim(a.value_text), '') <> ''
        order by a.value_text`,
  )
}

/**
 * Names with answers, for closed rounds of identified surveys only (respondents were told so):
 * everyone in the group for `allInGroup`, otherwise only the viewer's direct reports.
 */
export async function identifiedAnswers(db: Db, input: { roundId: string; groupKey: string; allInGroup: boolean; viewerId: string }) {
  const who = input.allInGroup ? sql`true` : sql`p.manager_id = ${input.viewerId}::uuid`
  return queryRows<{ name: string; answers: { key: string; value: number | null; text: string | null }[] }>(
    db,
    sql`select p.name, coalesce(jsonb_agg(jsonb_build_object('key', a.question_key, 'value', a.value_number, 'text', a.value_text) order by a.id)
               filter (where a.id is not null), '[]'::jsonb) as answers
        from responses r
        join survey_rounds sr on sr.id = r.round_id and sr.privacy = 'identified' and sr.frozen_at is not null
        join people p on p.id = r.person_id
        left join answers a on a.response_id = r.id
        where r.round_id = ${input.roundId}::uuid and ${who} and ${input.groupKey} = any(r.group_path)
        group by r.id, p.name order by p.name`,
  )
}

/**
 * Each rep's own mean answer over closed rounds of identified surveys (the only mode whose
 * respondents were told that their name is seen with their answers), for the rep-level overlay.
 * Confidential and anonymous answers are never published per person, in any form.
 */
export async function identifiedRepMeans(db: Db, input: { measure: string; from: string; to: string; personIds: SqlPeople }) {
  await ensurePublished(db)
  const tz = await orgTimezone(db)
  const measure = input.measure === 'enps' ? sql`a.type = 'enps'` : sql`a.type = 'agreement' and a.driver = ${input.measure.replace(/^driver:/, '')}`
  return queryRows<{ id: string; label: string; managerId: string | null; x: number }>(
    db,
    sql`select r.person_id::text as id, p.name as label, p.manager_id::text as "managerId", avg(a.value_number)::float8 as x
        from responses r
        join survey_rounds sr on sr.id = r.round_id and sr.privacy = 'identified' and sr.frozen_at is not null and not sr.imported
        join answers a on a.response_id = r.id and ${measure} and a.value_number is not null
        join people p on p.id = r.person_id
        where (sr.opens_at at time zone ${tz})::date between ${input.from}::date and ${input.to}::date and r.person_id in ${input.personIds}
        group by r.person_id, p.name, p.manager_id`,
  )
}

/** A subquery of person ids (from app/auth/scope.server.ts or equivalent). */
export type SqlPeople = ReturnType<typeof sql>

/**
 * Invited and responded over the closed rounds opened in the covered window, for each group:
 * only round-groups whose respondents are shown count (a hidden round-group adds neither to the
 * numerator nor to the denominator), and how many were left out is said.
 */
export async function responseRates(db: Db, request: Omit<PeriodRequest, 'measures'>): Promise<{ window: CoveredWindow; rates: { groupKey: string; invited: number; responded: number; rounds: number; omittedRounds: number }[] }> {
  await ensurePublished(db)
  const window = coveringWindow(request.from, request.to, request.unit)
  const tz = await orgTimezone(db)
  const rates = await queryRows<{ groupKey: string; invited: number; responded: number; rounds: number; omittedRounds: number }>(
    db,
    sql`select g.group_key as "groupKey",
               coalesce(sum(g.invited) filter (where g.shown), 0)::int as invited, coalesce(sum(g.respondents) filter (where g.shown), 0)::int as responded,
               count(*) filter (where g.shown)::int as rounds, count(*) filter (where not g.shown)::int as "omittedRounds"
        from survey_rounds sr join round_groups g on g.round_id = sr.id and g.kind in ('org', 'team') and g.invited > 0
        where sr.frozen_at is not null and sr.imported = ${request.source === 'imported'}
          and (sr.opens_at at time zone ${tz})::date between ${window.from}::date and ${window.to}::date
          ${request.groupKeys ? (request.groupKeys.length ? sql`and g.group_key in (${textList(request.groupKeys)})` : sql`and false`) : sql``}
        group by g.group_key order by g.group_key`,
  )
  return { window, rates }
}

/** The latest closed live round that concerned each group (it was invited or answered), newest first by close. */
export async function latestRounds(db: Db, groupKeys: readonly string[]): Promise<{ groupKey: string; roundId: string; surveyTitle: string; opensOn: string }[]> {
  if (groupKeys.length === 0) return []
  await ensurePublished(db)
  const tz = await orgTimezone(db)
  return queryRows(
    db,
    sql`select distinct on (g.group_key) g.group_key as "groupKey", sr.id::text as "roundId", s.title as "surveyTitle",
               to_char(sr.opens_at at time zone ${tz}, 'YYYY-MM-DD') as "opensOn"
        from round_groups g join survey_rounds sr on sr.id = g.round_id and sr.frozen_at is not null and not sr.imported
        join surveys s on s.id = sr.survey_id
        where g.group_key in (${textList(groupKeys)})
        order by g.group_key, sr.closes_at desc, sr.opens_at desc, sr.id`,
  )
}

export type RoundParticipation = { roundId: string; responded: number | null; fewerThan: number | null }

/**
 * How many answered a round, organisation-wide, as anyone may read it next to the delivery counts:
 * a closed round's respondents when the organisation's group is shown ("fewer than N" otherwise,
 * the same for 0 as for N − 1); an open round's count up to the last full hour when at least N
 * were invited; nothing for an open round of fewer invitees.
 */
export async function roundParticipation(db: Db, roundIds: readonly string[]): Promise<Map<string, RoundParticipation>> {
  const out = new Map<string, RoundParticipation>()
  if (roundIds.length === 0) return out
  await ensurePublished(db)
  const rows = await queryRows<{ roundId: string; status: 'open' | 'closed'; threshold: number; shown: boolean | null; respondents: number | null; invited: number; hourly: number }>(
    db,
    sql`select sr.id::text as "roundId", sr.status, sr.threshold_scores::int as threshold, g.shown, g.respondents,
               (select count(*)::int from invitations i where i.round_id = sr.id) as invited,
               (select count(*)::int from invitations i where i.round_id = sr.id and i.responded_at < date_trunc('hour', now())) as hourly
        from survey_rounds sr left join round_groups g on g.round_id = sr.id and g.group_key = 'org'
        where sr.id in (${uuidList(roundIds)})`,
  )
  for (const r of rows) {
    if (r.status === 'closed') out.set(r.roundId, r.shown ? { roundId: r.roundId, responded: r.respondents, fewerThan: null } : { roundId: r.roundId, responded: null, fewerThan: r.threshold })
    else out.set(r.roundId, r.invited >= r.threshold ? { roundId: r.roundId, responded: r.hourly, fewerThan: null } : { roundId: r.roundId, responded: null, fewerThan: null })
  }
  return out
}

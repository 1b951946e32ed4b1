/**
 * Freezing a closed round into the published layer (docs/privacy.md, db/schema/published.ts).
 *
 * When a round closes, its groups are fixed as the team tree was at that moment, every response
 * keeps the group path it had, each group's figures are summed once per measure, and the privacy
 * decision (threshold frozen at launch, protection of every region a subtraction could isolate)
 * is taken once and stored.
 * Nothing reads the raw answers for a figure after that: every screen, export and API endpoint
 * reads these rows through app/responses/published.server.ts.
 *
 * Freezing is idempotent and safe to run from any number of workers at once: the round row is
 * locked, and a round already frozen is left as it is.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { RoundGroupKind } from '#db/schema/published'
import type { FrozenQuestion } from '#db/schema/surveys'
import { type GroupInput, type SuppressionReason, suppressGroups } from './anonymity'
import { FAVOURABLE_MIN } from './drivers'
import { PASSIVE_MIN, PROMOTER_MIN } from './enps'
import type { Counts } from './figures'

type TeamRow = { id: string; parentId: string | null; name: string }

export type FrozenGroup = { key: string; kind: RoundGroupKind; teamId: string | null; parentKey: string | null; name: string; depth: number }

/**
 * The groups of a round from the team tree: the organisation and each team (its sub-teams inside
 * it). `paths` gives, per team id, every group key a member of that team counts in. A parent
 * team's direct members and the people without a team are no group of their own: they are the
 * part of their parent (or of the organisation) that no sub-group covers, and suppressGroups
 * protects that part like any other (app/responses/anonymity.ts). A parent that cannot be reached
 * from the root (a cycle) is treated as a top-level team.
 */
export function roundGroupsOf(orgName: string, teams: readonly TeamRow[]): { groups: FrozenGroup[]; paths: Map<string, string[]>; nonePath: string[] } {
  const byId = new Map(teams.map((t) => [t.id, t]))
  const groups: FrozenGroup[] = [{ key: 'org', kind: 'org', teamId: null, parentKey: null, name: orgName, depth: 0 }]
  const paths = new Map<string, string[]>()
  for (const team of teams) {
    const seen = new Set<string>()
    let up: string[] = []
    let t: TeamRow | undefined = team
    for (; t && !seen.has(t.id); t = t.parentId ? byId.get(t.parentId) : undefined) {
      seen.add(t.id)
      up.unshift(t.id)
    }
    // The walk stopped on a team already seen: a cycle. Its teams count as top-level teams.
    if (t) up = [team.id]
    const parentKey = up.length > 1 ? up[up.length - 2] : 'org'
    groups.push({ key: team.id, kind: 'team', teamId: team.id, parentKey, name: team.name, depth: up.length })
    paths.set(team.id, ['org', ...up])
  }
  return { groups, paths, nonePath: ['org'] }
}

type CellRow = Counts & { groupKey: string; measure: string; distribution: Record<string, number> | null }

type Decision = { shown: boolean; reason: SuppressionReason | null }

function decide(groups: readonly FrozenGroup[], counts: ReadonlyMap<string, number>, threshold: number, forced: ReadonlySet<string> = new Set()): Map<string, Decision> {
  const input: GroupInput<string>[] = groups.map((g) => ({ id: g.key, parentId: g.parentKey, n: counts.get(g.key) ?? 0 }))
  return new Map(suppressGroups(input, threshold, forced).map((v) => [v.id, v.shown ? { shown: true, reason: null } : { shown: false, reason: v.reason }]))
}

/**
 * Measures whose sums are tied: a driver's total is the sum of its questions' totals, and the
 * eNPS measure is the eNPS question's. Deciding them apart would let a shown driver minus its
 * shown questions give a hidden question's answers (one optional question answered by one
 * person). So each family shares one set of hidden groups: a group hidden for any of its measures
 * is hidden for all, protected again until nothing changes.
 */
function families(questions: readonly FrozenQuestion[], measures: readonly string[]): string[][] {
  const family = new Map<string, string>()
  for (const q of questions) {
    if (q.type === 'enps') family.set(`question:${q.id}`, 'enps')
    else if (q.type === 'agreement' && q.driver) family.set(`question:${q.id}`, `driver:${q.driver}`)
  }
  const out = new Map<string, string[]>()
  for (const m of measures) {
    const head = family.get(m) ?? m
    out.set(head, [...(out.get(head) ?? []), m])
  }
  return [...out.values()]
}

function decideFamily(groups: readonly FrozenGroup[], members: readonly (readonly CellRow[])[], threshold: number): Map<string, Decision>[] {
  const forced = new Set<string>()
  for (;;) {
    const decisions = members.map((list) => decide(groups, new Map(list.map((c) => [c.groupKey, c.n])), threshold, forced))
    // Hidden in a measure where the group has answers (a measure nobody answered hides nothing).
    const hidden = new Set(decisions.flatMap((d, i) => members[i].filter((c) => c.n > 0 && !d.get(c.groupKey)?.shown).map((c) => c.groupKey)))
    const grew = [...hidden].filter((key) => !forced.has(key))
    if (grew.length === 0) return decisions
    for (const key of grew) forced.add(key)
  }
}

/** Freezes one closed round; false when it is open, unknown or already frozen. */
export async function freezeRound(db: Db, roundId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [round] = await queryRows<{ thresholdScores: number; thresholdComments: number; frozen: boolean; closed: boolean; imported: boolean; questions: FrozenQuestion[] }>(
      tx,
      sql`select threshold_scores::int as "thresholdScores", threshold_comments::int as "thresholdComments", imported, questions,
                 frozen_at is not null as frozen, status = 'closed' as closed
          from survey_rounds where id = ${roundId}::uuid for update`,
    )
    if (!round || round.frozen || !round.closed) return false
    const teams = await queryRows<TeamRow>(tx, sql`select id::text as id, parent_id::text as "parentId", name from teams order by id`)
    const [settings] = await queryRows<{ orgName: string }>(tx, sql`select org_name as "orgName" from settings where id = 1`)
    const { groups, paths, nonePath } = roundGroupsOf(settings?.orgName ?? 'Pulseboard', teams)
    const pathJson = JSON.stringify(Object.fromEntries(paths))

    // Every response keeps the groups it counted in at close (no team, or a team deleted before: the organisation only).
    await tx.execute(sql`
      update responses r set group_path = case
          when r.team_id is not null and jsonb_exists(${pathJson}::jsonb, r.team_id::text)
            then array(select jsonb_array_elements_text(${pathJson}::jsonb -> r.team_id::text))
          else ${`{${nonePath.join(',')}}`}::text[] end
      where r.round_id = ${roundId}::uuid`)

    const invitedByTeam = await queryRows<{ teamId: string | null; invited: number }>(
      tx,
      sql`select p.team_id::text as "teamId", count(*)::int as invited from invitations i join people p on p.id = i.person_id
          where i.round_id = ${roundId}::uuid group by p.team_id`,
    )
    const invited = new Map<string, number>()
    for (const row of invitedByTeam) {
      for (const key of (row.teamId && paths.get(row.teamId)) || nonePath) invited.set(key, (invited.get(key) ?? 0) + row.invited)
    }

    const respondents = new Map(
      (
        await queryRows<{ groupKey: string; n: number }>(
          tx,
          sql`select g as "groupKey", count(*)::int as n from responses r cross join lateral unnest(r.group_path) g
              where r.round_id = ${roundId}::uuid group by g`,
        )
      ).map((r) => [r.groupKey, r.n]),
    )

    // Per respondent and measure first (y: their sum of answers, m: their count), then per group.
    const cells = await queryRows<CellRow>(
      tx,
      sql`with per_respondent as (
            select r.id, r.group_path,
                   case when a.type = 'enps' then 'enps' when a.type = 'agreement' and a.driver is not null then 'driver:' || a.driver end as measure,
                   sum(a.value_number)::float8 as y, count(*)::int as m,
                   count(*) filter (where a.value_number >= ${FAVOURABLE_MIN})::int as fav,
                   max(a.value_number) as score
            from responses r join answers a on a.response_id = r.id
            where r.round_id = ${roundId}::uuid and a.value_number is not null and (a.type = 'enps' or (a.type = 'agreement' and a.driver is not null))
            group by r.id, r.group_path, 3
          ),
          questions as (
            select r.id, r.group_path, 'question:' || a.question_key as measure, a.value_number as v
            from responses r join answers a on a.response_id = r.id
            where r.round_id = ${roundId}::uuid and a.value_number is not null and a.type <> 'text'
          ),
          question_values as (
            select g as group_key, measure, v, count(*)::int as c from questions cross join lateral unnest(group_path) g group by 1, 2, 3
          ),
          distributions as (
            select group_key, measure, jsonb_object_agg(v::text, c) as distribution from question_values group by 1, 2
          ),
          question_sums as (
            select g as group_key, q.measure, count(distinct q.id)::int as n, count(*)::int as answers, sum(q.v)::float8 as total,
                   count(*) filter (where q.v >= ${FAVOURABLE_MIN})::int as favourable, sum(q.v * q.v)::float8 as y2, sum(q.v)::float8 as ym, count(*)::float8 as m2
            from questions q cross join lateral unnest(q.group_path) g group by 1, 2
          )
          select g as "groupKey", measure, count(*)::int as n, sum(m)::int as answers, sum(y)::float8 as total, sum(fav)::int as favourable,
                 count(*) filter (where measure = 'enps' and score >= ${PROMOTER_MIN})::int as promoters,
                 count(*) filter (where measure = 'enps' and score >= ${PASSIVE_MIN} and score < ${PROMOTER_MIN})::int as passives,
                 count(*) filter (where measure = 'enps' and score < ${PASSIVE_MIN})::int as detractors,
                 sum(y * y)::float8 as "ySquares", sum(y * m)::float8 as "yTimesM", sum(m * m)::float8 as "mSquares", null::jsonb as distribution
          from per_respondent cross join lateral unnest(group_path) g group by g, measure
          union all
          select s.group_key, s.measure, s.n, s.answers, s.total, s.favourable, 0, 0, 0, s.y2, s.ym, s.m2, d.distribution
          from question_sums s join distributions d on d.group_key = s.group_key and d.measure = s.measure`,
    )

    const shownAs = decide(groups, respondents, round.thresholdScores)
    const commentsAs = decide(groups, respondents, round.thresholdComments)
    // A group is part of the round when it was invited or answered; imported history has no
    // invitations, so there every group is, and a team with no answer looks like one with few.
    const concerned = groups.filter((g) => round.imported || g.key === 'org' || (invited.get(g.key) ?? 0) > 0 || (respondents.get(g.key) ?? 0) > 0)
    if (concerned.length) {
      await tx.execute(sql`insert into round_groups (round_id, group_key, kind, team_id, parent_key, name, depth, invited, respondents, shown, reason, comments_shown, comments_reason)
        values ${sql.join(
          concerned.map((g) => {
            const s = shownAs.get(g.key)!
            const c = commentsAs.get(g.key)!
            return sql`(${roundId}::uuid, ${g.key}, ${g.kind}, ${g.teamId}::uuid, ${g.parentKey}, ${g.name}, ${g.depth}, ${invited.get(g.key) ?? 0}, ${respondents.get(g.key) ?? 0}, ${s.shown}, ${s.reason}, ${c.shown}, ${c.reason})`
          }),
          sql`, `,
        )}`)
    }

    const byMeasure = new Map<string, CellRow[]>()
    for (const cell of cells) byMeasure.set(cell.measure, [...(byMeasure.get(cell.measure) ?? []), cell])
    const decided = new Map<string, Map<string, Decision>>()
    for (const family of families(round.questions, [...byMeasure.keys()])) {
      const lists = family.map((m) => byMeasure.get(m)!)
      decideFamily(groups, lists, round.thresholdScores).forEach((d, i) => decided.set(family[i], d))
    }
    for (const [measure, list] of byMeasure) {
      const decisions = decided.get(measure)!
      for (let i = 0; i < list.length; i += 500) {
        const chunk = list.slice(i, i + 500)
        await tx.execute(sql`insert into round_cells (round_id, group_key, measure, n, answers, total, favourable, promoters, passives, detractors, y_squares, y_times_m, m_squares, distribution, shown, reason)
          values ${sql.join(
            chunk.map((c) => {
              const d = decisions.get(c.groupKey) ?? { shown: false, reason: 'below_threshold' as const }
              return sql`(${roundId}::uuid, ${c.groupKey}, ${c.measure}, ${c.n}, ${c.answers}, ${c.total}, ${c.favourable}, ${c.promoters}, ${c.passives}, ${c.detractors},
                          ${c.ySquares}, ${c.yTimesM}, ${c.mSquares}, ${c.distribution === null ? null : JSON.stringify(c.distribution)}::jsonb, ${d.shown}, ${d.reason})`
            }),
            sql`, `,
          )}`)
      }
    }
    await tx.execute(sql`update survey_rounds set frozen_at = now() where id = ${roundId}::uuid`)
    return true
  })
}

/**
 * Freezes every closed round not frozen yet (rounds closed by a version before the published
 * layer, the demo seed, imported history). Cheap when there is nothing to do: one look-up through
 * a partial index. Returns how many rounds it froze.
 */
export async function freezeClosedRounds(db: Db, limit = 1000, options: { throwOnFailure?: boolean } = {}): Promise<number> {
  const pending = await queryRows<{ id: string }>(
    db,
    sql`select id::text as id from survey_rounds where status = 'closed' and frozen_at is null order by closes_at, id limit ${limit}`,
  )
  let frozen = 0
  const failures: unknown[] = []
  for (const { id } of pending) {
    // One round that cannot be frozen (say, a team tree broken by hand) must not stop the others,
    // nor every page that reads sentiment: it stays unpublished, and the close job reports it.
    try {
      if (await freezeRound(db, id)) frozen++
    } catch (error) {
      failures.push(error)
    }
  }
  if (failures.length && options.throwOnFailure) throw new AggregateError(failures, `${failures.length} closed round(s) could not be frozen`)
  return frozen
}

/**
 * The results of one survey as a viewer may see them: per round (response rate, eNPS, each
 * question's mean and distribution, the driver × team heatmap, comments) and as a trend over
 * rounds. Everything is aggregated in SQL (metrics.server.ts) and passed through applyThresholds
 * before it is returned, so the loader, the CSV export and the API share one privacy decision.
 */
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Db, queryRows } from '#db/client'
import type { Bilingual, FrozenQuestion, PrivacyMode } from '#db/schema/surveys'
import { shuffleComments } from './anonymity'
import { enpsSummary } from './enps'
import {
  type DriverAggregate,
  type QuestionAggregate,
  commentTexts,
  driverAggregates,
  enpsAggregates,
  invitationAggregates,
  questionAggregates,
  respondentAggregates,
} from './metrics.server'
import { type GroupRef, type Hierarchy, type Visible, applyThresholds, groupRef, loadHierarchy } from './results-privacy.server'
import { type ViewerScope, scopeCovers } from './scope.server'

const round1 = (x: number) => Math.round(x * 10) / 10
const round2 = (x: number) => Math.round(x * 100) / 100
const round3 = (x: number) => Math.round(x * 1000) / 1000

export type EnpsFigures = { n: number; promoters: number; passives: number; detractors: number; enps: number; ciLow: number; ciHigh: number }

/** eNPS figures from SQL counts; the interval formula lives in enps.ts only. */
export function enpsFigures(row: { promoters: number; passives: number; detractors: number }): EnpsFigures {
  const s = enpsSummary(row)
  return { n: s.n, promoters: s.promoters, passives: s.passives, detractors: s.detractors, enps: round1(s.enps ?? 0), ciLow: round1(s.ciLow ?? 0), ciHigh: round1(s.ciHigh ?? 0) }
}

export type DriverFigures = { n: number; answers: number; mean: number; favourableShare: number }

export function driverFigures(row: DriverAggregate): DriverFigures {
  const summaryShare = row.answers === 0 ? 0 : row.favourable / row.answers
  return { n: row.n, answers: row.answers, mean: round2(Number(row.mean)), favourableShare: round3(summaryShare) }
}

/** What a hidden figure becomes: the notice only. */
export type Hidden = { suppressed: true; reason: 'below_threshold' | 'sibling_protection' }
export type Maybe<T> = ({ suppressed: false } & T) | Hidden

function pick<T extends { suppressed: boolean }, F>(visible: T | undefined, figures: (row: Extract<T, { suppressed: false }>) => F): Maybe<F> {
  if (!visible) return { suppressed: true, reason: 'below_threshold' }
  if (visible.suppressed) return { suppressed: true, reason: (visible as unknown as Hidden).reason }
  return { suppressed: false, ...figures(visible as Extract<T, { suppressed: false }>) }
}

type SurveyRow = { id: string; title: string; kind: 'pulse' | 'enps'; privacy: PrivacyMode; imported: boolean }
type RoundRow = {
  id: string
  opensOn: string
  status: 'open' | 'closed'
  privacy: PrivacyMode
  questions: FrozenQuestion[]
  thresholdScores: number
  thresholdComments: number
  imported: boolean
}

async function surveyRounds(db: Db, surveyId: string, tz: string): Promise<RoundRow[]> {
  return queryRows<RoundRow>(
    db,
    sql`select id::text as id, to_char(opens_at at time zone ${tz}, 'YYYY-MM-DD') as "opensOn", status, privacy, questions,
               threshold_scores::int as "thresholdScores", threshold_comments::int as "thresholdComments", imported
        from survey_rounds where survey_id = ${surveyId}::uuid order by opens_at desc, id`,
  )
}

async function timezone(db: Db): Promise<string> {
  const [row] = await queryRows<{ timezone: string }>(db, sql`select timezone from settings where id = 1`)
  return row?.timezone ?? 'Europe/Rome'
}

/** The groups a scope may see, in display order: the organisation first, then teams by name. */
function visibleGroups(hierarchy: Hierarchy, scope: ViewerScope): GroupRef[] {
  const groups: GroupRef[] = []
  if (scopeCovers(scope, 'org')) groups.push(groupRef(hierarchy, 'org'))
  for (const team of [...hierarchy.teams].sort((a, b) => a.name.localeCompare(b.name))) {
    if (scopeCovers(scope, team.id)) groups.push(groupRef(hierarchy, team.id))
  }
  return groups
}

const groupKey = (g: GroupRef) => g.id ?? 'org'

export type SurveyListItem = {
  id: string
  title: string
  kind: 'pulse' | 'enps'
  privacy: PrivacyMode
  imported: boolean
  rounds: number
  latestRoundOn: string | null
  latest: { group: GroupRef; respondents: Maybe<{ n: number }>; enps: Maybe<EnpsFigures> | null }[]
}

/** The surveys with rounds, each with its latest round's figures for the groups the viewer may see. */
export async function listSurveyResults(db: Db, scope: ViewerScope): Promise<SurveyListItem[]> {
  // A manager with direct reports but no team of their own has no group large enough to show.
  if (scope.kind === 'none' || (scope.kind === 'teams' && scope.teamIds.length === 0)) return []
  const tz = await timezone(db)
  const surveys = await queryRows<SurveyRow & { rounds: number; latestRoundId: string | null; latestRoundOn: string | null }>(
    db,
    sql`select s.id::text as id, s.title, s.kind, s.privacy, s.imported, count(sr.id)::int as rounds,
               (array_agg(sr.id::text order by sr.opens_at desc))[1] as "latestRoundId",
               to_char(max(sr.opens_at) at time zone ${tz}, 'YYYY-MM-DD') as "latestRoundOn"
        from surveys s join survey_rounds sr on sr.survey_id = s.id
        group by s.id order by max(sr.opens_at) desc, s.title`,
  )
  const latestIds = surveys.map((s) => s.latestRoundId).filter((id): id is string => id !== null)
  const hierarchy = await loadHierarchy(db)
  const selection = { roundIds: latestIds }
  const [respondents, enps] = await Promise.all([respondentAggregates(db, selection, { by: 'round' }), enpsAggregates(db, selection, { by: 'round' })])
  const respondentsShown = applyThresholds(respondents, hierarchy, { threshold: (r) => r.threshold })
  const enpsShown = applyThresholds(enps, hierarchy, { threshold: (r) => r.threshold })
  const groups = visibleGroups(hierarchy, scope)
  return surveys.map((s) => ({
    id: s.id,
    title: s.title,
    kind: s.kind,
    privacy: s.privacy,
    imported: s.imported,
    rounds: s.rounds,
    latestRoundOn: s.latestRoundOn,
    latest: groups
      .filter((g) => respondents.some((r) => r.bucket === s.latestRoundId && r.groupId === groupKey(g)))
      .map((g) => {
        const match = <T extends { bucket: string; groupId: string }>(rows: T[]) => rows.find((r) => r.bucket === s.latestRoundId && r.groupId === groupKey(g))
        const hasEnps = enps.some((r) => r.bucket === s.latestRoundId)
        return {
          group: g,
          respondents: pick(match(respondentsShown), (r) => ({ n: r.n })),
          enps: hasEnps ? pick(match(enpsShown), (r) => enpsFigures(r)) : null,
        }
      }),
  }))
}

export type QuestionResult = {
  key: string
  type: FrozenQuestion['type']
  driver: string | null
  text: Bilingual
  options: Bilingual[] | null
  figures: Maybe<{ n: number; answers: number; mean: number; distribution: { value: number; count: number }[] }> | null
}

export type HeatCell = { driver: string; columnId: string; figures: Maybe<DriverFigures> }

export type SurveyResults = {
  survey: SurveyRow
  rounds: { id: string; opensOn: string; status: 'open' | 'closed'; imported: boolean }[]
  round: { id: string; opensOn: string; privacy: PrivacyMode; thresholdScores: number; thresholdComments: number } | null
  groups: GroupRef[]
  group: GroupRef
  /** Response rate, respondents and eNPS of the selected round for every group in scope. */
  byGroup: { group: GroupRef; respondents: Maybe<{ n: number }>; responseRate: Maybe<{ invited: number; responded: number; rate: number }> | null; enps: Maybe<EnpsFigures> | null }[]
  selected: {
    respondents: Maybe<{ n: number }>
    responseRate: Maybe<{ invited: number; responded: number; rate: number }> | null
    enps: Maybe<EnpsFigures> | null
    questions: QuestionResult[]
    comments: Maybe<{ items: string[] }>
  }
  heatmap: { drivers: string[]; columns: GroupRef[]; cells: HeatCell[] }
  trend: { roundId: string; opensOn: string; enps: Maybe<EnpsFigures> | null; responseRate: Maybe<{ rate: number }> | null }[]
  driverTrend: { drivers: string[]; columns: { id: string; opensOn: string }[]; cells: HeatCell[] }
  /** Identified mode only, to hr/leader/admin and to each person's manager. */
  identified: { name: string; answers: { key: string; value: number | null; text: string | null }[] }[] | null
}

export type ResultsRequest = { surveyId: string; roundId?: string | null; teamId?: string | null }

/**
 * One survey's results for a viewer. `not_found` for an unknown survey or round, `forbidden` for a
 * scope that may not see results or a team outside it.
 */
export async function surveyResults(
  db: Db,
  viewer: { id: string },
  scope: ViewerScope,
  request: ResultsRequest,
): Promise<{ status: 'ok'; results: SurveyResults } | { status: 'not_found' } | { status: 'forbidden' }> {
  if (scope.kind === 'none') return { status: 'forbidden' }
  const [survey] = await queryRows<SurveyRow>(
    db,
    sql`select id::text as id, title, kind, privacy, imported from surveys where id::text = ${request.surveyId}`,
  )
  if (!survey) return { status: 'not_found' }
  const tz = await timezone(db)
  const hierarchy = await loadHierarchy(db)
  const groups = visibleGroups(hierarchy, scope)
  if (groups.length === 0) return { status: 'forbidden' }
  let group = groups[0]
  if (request.teamId) {
    if (!hierarchy.teams.some((t) => t.id === request.teamId)) return { status: 'not_found' }
    if (!scopeCovers(scope, request.teamId)) return { status: 'forbidden' }
    group = groupRef(hierarchy, request.teamId)
  }
  const gid = groupKey(group)
  const rounds = await surveyRounds(db, survey.id, tz)
  const round = request.roundId ? rounds.find((r) => r.id === request.roundId) : rounds[0]
  if (request.roundId && !round) return { status: 'not_found' }
  const allRoundIds = rounds.map((r) => r.id)
  const roundSel = { roundIds: round ? [round.id] : [] }
  const all = { roundIds: allRoundIds }

  const [respondents, enps, questions, drivers, invitations, trendEnps, trendDrivers, trendRespondents] = await Promise.all([
    respondentAggregates(db, roundSel, { by: 'round' }),
    enpsAggregates(db, roundSel, { by: 'round' }),
    questionAggregates(db, roundSel, { by: 'round' }),
    driverAggregates(db, roundSel, { by: 'round' }),
    invitationAggregates(db, allRoundIds),
    enpsAggregates(db, all, { by: 'round' }),
    driverAggregates(db, all, { by: 'round' }),
    respondentAggregates(db, all, { by: 'round' }),
  ])

  const respondentsShown = applyThresholds(respondents, hierarchy, { threshold: (r) => r.threshold })
  const commentsShown = applyThresholds(respondents, hierarchy, { threshold: (r) => r.thresholdComments })
  const enpsShown = applyThresholds(enps, hierarchy, { threshold: (r) => r.threshold })
  const questionsShown = applyThresholds(questions, hierarchy, { key: (r) => r.questionKey, threshold: (r) => r.threshold })
  const driversShown = applyThresholds(drivers, hierarchy, { key: (r) => r.driver, threshold: (r) => r.threshold })
  const trendEnpsShown = applyThresholds(trendEnps, hierarchy, { threshold: (r) => r.threshold })
  const trendDriversShown = applyThresholds(trendDrivers, hierarchy, { key: (r) => r.driver, threshold: (r) => r.threshold })
  const trendRespondentsShown = applyThresholds(trendRespondents, hierarchy, { threshold: (r) => r.threshold })

  const find = <T extends { bucket: string; groupId: string }>(rows: T[], bucket: string | undefined, groupId: string, key?: string) =>
    rows.find((r) => r.bucket === bucket && r.groupId === groupId && (key === undefined || (r as unknown as { key: string }).key === key))

  // A response rate is shown only where the group's respondents are (it is a figure of the group too).
  const rate = (roundId: string, groupId: string, shown: Visible<{ bucket: string; groupId: string; n: number }> | undefined) => {
    const inv = invitations.find((i) => i.roundId === roundId && i.groupId === groupId)
    if (!inv || inv.invited === 0) return null
    if (!shown || shown.suppressed) return { suppressed: true as const, reason: shown?.suppressed ? shown.reason : ('below_threshold' as const) }
    return { suppressed: false as const, invited: inv.invited, responded: inv.responded, rate: round3(inv.responded / inv.invited) }
  }
  const hasEnps = (bucket: string | undefined) => trendEnps.some((r) => r.bucket === bucket)

  const byGroup = round
    ? groups
        .filter((g) => respondents.some((r) => r.groupId === groupKey(g)) || invitations.some((i) => i.roundId === round.id && i.groupId === groupKey(g)))
        .map((g) => {
          const shown = find(respondentsShown, round.id, groupKey(g))
          return {
            group: g,
            respondents: pick(shown, (r) => ({ n: r.n })),
            responseRate: rate(round.id, groupKey(g), shown),
            enps: hasEnps(round.id) ? pick(find(enpsShown, round.id, groupKey(g)), (r) => enpsFigures(r)) : null,
          }
        })
    : []

  const selectedRespondents = round ? find(respondentsShown, round.id, gid) : undefined
  const questionResults: QuestionResult[] = (round?.questions ?? [])
    .slice()
    .sort((a, b) => a.position - b.position)
    .map((q) => {
      const key = q.id
      const base = { key, type: q.type, driver: q.driver, text: q.text, options: q.options ?? null }
      if (q.type === 'text') return { ...base, figures: null }
      const row = find(questionsShown, round?.id, gid, key) as Visible<QuestionAggregate & { key: string }> | undefined
      return {
        ...base,
        figures: pick(row, (r) => ({
          n: r.n,
          answers: r.answers,
          mean: round2(Number(r.mean)),
          distribution: Object.entries(r.distribution)
            .map(([value, count]) => ({ value: Number(value), count: Number(count) }))
            .sort((a, b) => a.value - b.value),
        })),
      }
    })

  // Comment texts are fetched only once the group has passed the comment threshold.
  const commentVisibility = round ? find(commentsShown, round.id, gid) : undefined
  let comments: Maybe<{ items: string[] }> = { suppressed: true, reason: 'below_threshold' }
  if (round && commentVisibility && !commentVisibility.suppressed) {
    const texts = await commentTexts(db, roundSel, gid)
    comments = { suppressed: false, items: shuffleComments(texts, `${round.id}:${gid}`) }
  } else if (commentVisibility?.suppressed) {
    comments = { suppressed: true, reason: commentVisibility.reason }
  }

  const driverKeys = [...new Set(drivers.map((d) => d.driver))].sort()
  const columns = groups.filter((g) => drivers.some((d) => d.groupId === groupKey(g)))
  const cells: HeatCell[] = driverKeys.flatMap((driver) =>
    columns.map((g) => ({ driver, columnId: groupKey(g), figures: pick(find(driversShown, round?.id, groupKey(g), driver), (r) => driverFigures(r)) })),
  )

  const chronological = [...rounds].reverse()
  const trend = chronological.map((r) => ({
    roundId: r.id,
    opensOn: r.opensOn,
    enps: hasEnps(r.id) ? pick(find(trendEnpsShown, r.id, gid), (row) => enpsFigures(row)) : null,
    responseRate: (() => {
      const full = rate(r.id, gid, find(trendRespondentsShown, r.id, gid))
      return full === null ? null : full.suppressed ? full : { suppressed: false as const, rate: full.rate }
    })(),
  }))
  const trendDriverKeys = [...new Set(trendDrivers.map((d) => d.driver))].sort()
  const trendColumns = chronological.filter((r) => trendDrivers.some((d) => d.bucket === r.id)).map((r) => ({ id: r.id, opensOn: r.opensOn }))
  const trendCells: HeatCell[] = trendDriverKeys.flatMap((driver) =>
    trendColumns.map((c) => ({ driver, columnId: c.id, figures: pick(find(trendDriversShown, c.id, gid, driver), (r) => driverFigures(r)) })),
  )

  const identified = round && round.privacy === 'identified' ? await identifiedAnswers(db, viewer, scope, round.id, gid) : null

  return {
    status: 'ok',
    results: {
      survey,
      rounds: rounds.map((r) => ({ id: r.id, opensOn: r.opensOn, status: r.status, imported: r.imported })),
      round: round ? { id: round.id, opensOn: round.opensOn, privacy: round.privacy, thresholdScores: round.thresholdScores, thresholdComments: round.thresholdComments } : null,
      groups,
      group,
      byGroup,
      selected: {
        respondents: pick(selectedRespondents, (r) => ({ n: r.n })),
        responseRate: round ? rate(round.id, gid, selectedRespondents) : null,
        enps: hasEnps(round?.id) ? pick(find(enpsShown, round?.id, gid), (r) => enpsFigures(r)) : null,
        questions: questionResults,
        comments,
      },
      heatmap: { drivers: driverKeys, columns, cells },
      trend,
      driverTrend: { drivers: trendDriverKeys, columns: trendColumns, cells: trendCells },
      identified,
    },
  }
}

/**
 * Names with answers, for rounds of identified surveys only (respondents were told so): hr,
 * leader and admin see everyone in the selected group, a manager only their direct reports.
 */
async function identifiedAnswers(db: Db, viewer: { id: string }, scope: ViewerScope, roundId: string, groupId: string) {
  const who = scope.kind === 'org' ? sql`true` : sql`p.manager_id = ${viewer.id}::uuid`
  const inGroup =
    groupId === 'org'
      ? sql`true`
      : sql`r.team_id in (with recursive tree(id) as (select ${groupId}::uuid union select t.id from teams t join tree on t.parent_id = tree.id) select id from tree)`
  return queryRows<{ name: string; answers: { key: string; value: number | null; text: string | null }[] }>(
    db,
    sql`select p.name, coalesce(jsonb_agg(jsonb_build_object('key', a.question_key, 'value', a.value_number, 'text', a.value_text) order by a.id)
               filter (where a.id is not null), '[]'::jsonb) as answers
        from responses r
        join survey_rounds sr on sr.id = r.round_id and sr.privacy = 'identified'
        join people p on p.id = r.person_id
        left join answers a on a.response_id = r.id
        where r.round_id = ${roundId}::uuid and ${who} and ${inGroup}
        group by r.id, p.name order by p.name`,
  )
}

const optionalId = (what: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || z.uuid().safeParse(v).success, { error: `${what} must be an id from the results page` })

/** The URL filters of the results page and its export: ?round=<id>&team=<id>. */
export const resultsFilterSchema = z.object({ round: optionalId('round'), team: optionalId('team') }).transform((f) => ({ roundId: f.round, teamId: f.team }))

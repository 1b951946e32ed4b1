/**
 * The results of one survey as a viewer may see them: per round (response rate, eNPS, each
 * question's mean and distribution, the driver × team heatmap, comments) and as a trend over
 * rounds. Every figure is read from the published layer (app/responses/published.server.ts): the
 * groups and cells frozen when each round closed, with their privacy decision taken then. An open
 * round shows no figure, only its participation to those who read the whole organisation.
 */
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Db, queryRows } from '#db/client'
import type { Bilingual, FrozenQuestion, PrivacyMode } from '#db/schema/surveys'
import { shuffleComments } from './anonymity'
import { type DriverFigures, type EnpsFigures, driverFigures, enpsFigures } from './figures'
import { type Published, type PublishedCell, type RoundGroup, commentTexts, identifiedAnswers, openParticipation, roundCells, roundGroups } from './published.server'
import { type Scope, scopeCovers } from '~/auth/scope.server'

export { type DriverFigures, type EnpsFigures, driverFigures, enpsFigures } from './figures'

const round2 = (x: number) => Math.round(x * 100) / 100
const round3 = (x: number) => Math.round(x * 1000) / 1000

export type GroupRef = { type: 'org'; id: null; name: string } | { type: 'team'; id: string; name: string }

/** What a hidden figure becomes: the notice only. */
export type Hidden = { suppressed: true; reason: 'below_threshold' | 'sibling_protection' | 'incomplete_bucket' }
export type Maybe<T> = ({ suppressed: false } & T) | Hidden

function maybe<T, F>(value: Published<T> | undefined, figures: (row: T) => F): Maybe<F> {
  if (!value) return { suppressed: true, reason: 'below_threshold' }
  if (!value.shown) return { suppressed: true, reason: value.reason }
  return { suppressed: false, ...figures(value as T) }
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

async function settingsOf(db: Db): Promise<{ timezone: string; orgName: string }> {
  const [row] = await queryRows<{ timezone: string; orgName: string }>(db, sql`select timezone, org_name as "orgName" from settings where id = 1`)
  return row ?? { timezone: 'Europe/Rome', orgName: 'Pulseboard' }
}

const isUuid = (v: string) => z.uuid().safeParse(v).success

/** A published group as the screens name it: the organisation, or a team under its name at close. */
function refOf(group: Pick<RoundGroup, 'groupKey' | 'name' | 'teamId'>, orgName: string): GroupRef {
  return group.groupKey === 'org' ? { type: 'org', id: null, name: orgName } : { type: 'team', id: group.teamId ?? group.groupKey, name: group.name }
}

/** The shown groups of a round a scope may see, in display order: the organisation first, then teams by name. */
function visibleGroups(groups: readonly RoundGroup[], scope: Scope): RoundGroup[] {
  const mine = groups.filter((g) => (g.kind === 'org' || g.kind === 'team') && scopeCovers(scope, g.groupKey))
  return mine.sort((a, b) => (a.kind === 'org' ? -1 : b.kind === 'org' ? 1 : a.name.localeCompare(b.name)))
}

const groupKey = (g: GroupRef) => g.id ?? 'org'

const responseRate = (g: RoundGroup | undefined): Maybe<{ invited: number; responded: number; rate: number }> | null => {
  if (!g || g.invited === 0) return null
  return maybe(g.respondents, (r) => ({ invited: g.invited, responded: r.n, rate: round3(r.n / g.invited) }))
}

const cellOf = (cells: readonly PublishedCell[], roundId: string | undefined, group: string, measure: string) =>
  cells.find((c) => c.bucket === roundId && c.groupKey === group && c.measure === measure)

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

/** The surveys with closed rounds, each with its latest closed round's figures for the groups the viewer may see. */
export async function listSurveyResults(db: Db, scope: Scope): Promise<SurveyListItem[]> {
  // A manager with direct reports but no team of their own has no group large enough to show.
  if (scope.kind === 'none' || (scope.kind === 'teams' && scope.teamIds.length === 0)) return []
  const { timezone: tz, orgName } = await settingsOf(db)
  const surveys = await queryRows<SurveyRow & { rounds: number; latestRoundId: string | null; latestRoundOn: string | null; latestHasEnps: boolean }>(
    db,
    sql`select s.id::text as id, s.title, s.kind, s.privacy, s.imported, count(sr.id)::int as rounds,
               (array_agg(sr.id::text order by sr.opens_at desc) filter (where sr.status = 'closed'))[1] as "latestRoundId",
               coalesce((array_agg(sr.questions @> '[{"type": "enps"}]'::jsonb order by sr.opens_at desc) filter (where sr.status = 'closed'))[1], false) as "latestHasEnps",
               to_char(max(sr.opens_at) filter (where sr.status = 'closed') at time zone ${tz}, 'YYYY-MM-DD') as "latestRoundOn"
        from surveys s join survey_rounds sr on sr.survey_id = s.id
        group by s.id order by max(sr.opens_at) desc, s.title`,
  )
  const latestIds = surveys.map((s) => s.latestRoundId).filter((id): id is string => id !== null)
  const [groups, cells] = await Promise.all([roundGroups(db, latestIds), roundCells(db, latestIds, { measures: ['enps'] })])
  return surveys.map((s) => {
    const mine = visibleGroups(
      groups.filter((g) => g.roundId === s.latestRoundId),
      scope,
    )
    // From the round's questions, not from which cells exist: no answer must look like few answers.
    const hasEnps = s.latestHasEnps
    return {
      id: s.id,
      title: s.title,
      kind: s.kind,
      privacy: s.privacy,
      imported: s.imported,
      rounds: s.rounds,
      latestRoundOn: s.latestRoundOn,
      latest: mine
        .filter((g) => g.respondents.shown || g.invited > 0 || g.kind === 'org')
        .map((g) => ({
          group: refOf(g, orgName),
          respondents: maybe(g.respondents, (r) => ({ n: r.n })),
          enps: hasEnps ? maybe(cellOf(cells, s.latestRoundId ?? undefined, g.groupKey, 'enps'), (c) => enpsFigures(c)) : null,
        })),
    }
  })
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
  round: { id: string; opensOn: string; status: 'open' | 'closed'; privacy: PrivacyMode; thresholdScores: number; thresholdComments: number } | null
  groups: GroupRef[]
  group: GroupRef
  /** Response rate, respondents and eNPS of the selected round for every group in scope. */
  byGroup: { group: GroupRef; respondents: Maybe<{ n: number }>; responseRate: Maybe<{ invited: number; responded: number; rate: number }> | null; enps: Maybe<EnpsFigures> | null }[]
  /**
   * An open round's participation, for viewers of the whole organisation only: groups with at
   * least the threshold of invitees, counted up to the last full hour. No figure of any answer.
   */
  participation: { group: GroupRef; invited: number; responded: number }[] | null
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
  scope: Scope,
  request: ResultsRequest,
): Promise<{ status: 'ok'; results: SurveyResults } | { status: 'not_found' } | { status: 'forbidden' }> {
  if (scope.kind === 'none') return { status: 'forbidden' }
  if (!isUuid(request.surveyId)) return { status: 'not_found' }
  const [survey] = await queryRows<SurveyRow>(db, sql`select id::text as id, title, kind, privacy, imported from surveys where id = ${request.surveyId}::uuid`)
  if (!survey) return { status: 'not_found' }
  const { timezone: tz, orgName } = await settingsOf(db)
  const teams = await queryRows<{ id: string; name: string }>(db, sql`select id::text as id, name from teams order by name`)
  const groups: GroupRef[] = [
    ...(scopeCovers(scope, 'org') ? [{ type: 'org' as const, id: null, name: orgName }] : []),
    ...teams.filter((t) => scopeCovers(scope, t.id)).map((t) => ({ type: 'team' as const, id: t.id, name: t.name })),
  ]
  if (groups.length === 0) return { status: 'forbidden' }
  let group = groups[0]
  if (request.teamId) {
    if (!teams.some((t) => t.id === request.teamId)) return { status: 'not_found' }
    if (!scopeCovers(scope, request.teamId)) return { status: 'forbidden' }
    group = groups.find((g) => g.id === request.teamId)!
  }
  const gid = groupKey(group)
  const rounds = await surveyRounds(db, survey.id, tz)
  const closed = rounds.filter((r) => r.status === 'closed')
  // The page opens on the latest closed round: an open round has no figures yet.
  const round = request.roundId ? rounds.find((r) => r.id === request.roundId) : (closed[0] ?? rounds[0])
  if (request.roundId && !round) return { status: 'not_found' }
  const closedIds = closed.map((r) => r.id)

  const isClosed = round?.status === 'closed'
  const inScope = [...new Set(['org', ...groups.map(groupKey)])]
  // The selected round for every group in scope; the trend over every closed round for the selected group only.
  const [roundGroupRows, trendGroupRows, roundCellRows, trendCellRows, participationRows] = await Promise.all([
    isClosed ? roundGroups(db, [round.id], { groupKeys: inScope }) : Promise.resolve([]),
    roundGroups(db, closedIds, { groupKeys: [gid] }),
    isClosed ? roundCells(db, [round.id], { groupKeys: inScope }) : Promise.resolve([]),
    roundCells(db, closedIds, { groupKeys: [gid], measures: ['enps', 'driver:'] }),
    round && round.status === 'open' && scope.kind === 'org' ? openParticipation(db, [round.id]) : Promise.resolve([]),
  ])
  const groupIndex = new Map([...roundGroupRows, ...trendGroupRows].map((g) => [`${g.roundId}\u0000${g.groupKey}`, g]))
  const cellIndex = new Map([...roundCellRows, ...trendCellRows].map((c) => [`${c.bucket}\u0000${c.groupKey}\u0000${c.measure}`, c]))
  const groupOf = (roundId: string | undefined, key: string) => groupIndex.get(`${roundId}\u0000${key}`)
  const cellAt = (roundId: string | undefined, key: string, measure: string) => cellIndex.get(`${roundId}\u0000${key}\u0000${measure}`)
  const enpsCell = (roundId: string | undefined, key: string) => cellAt(roundId, key, 'enps')
  // Whether a round asks eNPS at all comes from its frozen questions, never from which groups have a cell
  // (a group with no cell must look the same as a group whose cell is hidden).
  const roundsWithEnps = new Set(rounds.filter((r) => r.questions.some((q) => q.type === 'enps')).map((r) => r.id))
  const hasEnps = (roundId: string | undefined) => roundId !== undefined && roundsWithEnps.has(roundId)

  const byGroup = isClosed
    ? groups
        .map((g) => ({ g, frozen: groupOf(round.id, groupKey(g)) }))
        .filter((x) => x.frozen !== undefined)
        .map(({ g, frozen }) => ({
          group: g,
          respondents: maybe(frozen!.respondents, (r) => ({ n: r.n })),
          responseRate: responseRate(frozen),
          enps: hasEnps(round.id) ? maybe(enpsCell(round.id, groupKey(g)), (c) => enpsFigures(c)) : null,
        }))
    : []

  const selectedGroup = isClosed ? groupOf(round.id, gid) : undefined
  const questionResults: QuestionResult[] = (round?.questions ?? [])
    .slice()
    .sort((a, b) => a.position - b.position)
    .map((q) => {
      const base = { key: q.id, type: q.type, driver: q.driver, text: q.text, options: q.options ?? null }
      if (q.type === 'text') return { ...base, figures: null }
      if (!isClosed) return { ...base, figures: { suppressed: true, reason: 'below_threshold' } as Hidden }
      return {
        ...base,
        figures: maybe(cellAt(round.id, gid, `question:${q.id}`), (c) => ({
          n: c.n,
          answers: c.answers,
          mean: round2(c.answers ? c.total / c.answers : 0),
          distribution: Object.entries(c.distribution ?? {})
            .map(([value, count]) => ({ value: Number(value), count: Number(count) }))
            .sort((a, b) => a.value - b.value),
        })),
      }
    })

  // Comment texts are fetched only once the group has passed the comment threshold at close.
  let comments: Maybe<{ items: string[] }> = { suppressed: true, reason: 'below_threshold' }
  if (isClosed && selectedGroup?.comments.shown) {
    const texts = await commentTexts(db, round.id, gid)
    comments = { suppressed: false, items: shuffleComments(texts, `${round.id}:${gid}`) }
  } else if (selectedGroup && !selectedGroup.comments.shown) {
    comments = { suppressed: true, reason: selectedGroup.comments.reason }
  }

  // Drivers from the round's questions and columns from the round's groups (invited or answered):
  // what has a cell must not be told apart from what has none.
  const driversOf = (r: RoundRow) => r.questions.flatMap((q) => (q.type === 'agreement' && q.driver ? [q.driver] : []))
  const driverKeys = isClosed ? [...new Set(driversOf(round))].sort() : []
  const columns = isClosed && driverKeys.length ? groups.filter((g) => groupOf(round.id, groupKey(g)) !== undefined) : []
  const heatCells: HeatCell[] = driverKeys.flatMap((driver) =>
    columns.map((g) => ({ driver, columnId: groupKey(g), figures: maybe(cellAt(round?.id, groupKey(g), `driver:${driver}`), (c) => driverFigures(c)) })),
  )

  const chronological = [...closed].reverse()
  const trend = chronological.map((r) => ({
    roundId: r.id,
    opensOn: r.opensOn,
    enps: hasEnps(r.id) ? maybe(enpsCell(r.id, gid), (c) => enpsFigures(c)) : null,
    responseRate: (() => {
      const full = responseRate(groupOf(r.id, gid))
      return full === null ? null : full.suppressed ? full : { suppressed: false as const, rate: full.rate }
    })(),
  }))
  const trendDriverKeys = [...new Set(closed.flatMap(driversOf))].sort()
  const trendColumns = chronological.filter((r) => r.questions.some((q) => q.type === 'agreement' && q.driver)).map((r) => ({ id: r.id, opensOn: r.opensOn }))
  const trendCells: HeatCell[] = trendDriverKeys.flatMap((driver) =>
    trendColumns.map((c) => ({ driver, columnId: c.id, figures: maybe(cellAt(c.id, gid, `driver:${driver}`), (cell) => driverFigures(cell)) })),
  )

  const identified =
    isClosed && round.privacy === 'identified' ? await identifiedAnswers(db, { roundId: round.id, groupKey: gid, allInGroup: scope.kind === 'org', viewerId: viewer.id }) : null
  const participation =
    round?.status === 'open' && scope.kind === 'org'
      ? groups.flatMap((g) => {
          const p = participationRows.find((x) => x.groupKey === groupKey(g))
          return p ? [{ group: g, invited: p.invited, responded: p.responded }] : []
        })
      : null

  return {
    status: 'ok',
    results: {
      survey,
      rounds: rounds.map((r) => ({ id: r.id, opensOn: r.opensOn, status: r.status, imported: r.imported })),
      round: round ? { id: round.id, opensOn: round.opensOn, status: round.status, privacy: round.privacy, thresholdScores: round.thresholdScores, thresholdComments: round.thresholdComments } : null,
      groups,
      group,
      byGroup,
      participation,
      selected: {
        respondents: selectedGroup ? maybe(selectedGroup.respondents, (r) => ({ n: r.n })) : { suppressed: true, reason: 'below_threshold' },
        responseRate: responseRate(selectedGroup),
        enps: isClosed && hasEnps(round.id) ? maybe(enpsCell(round.id, gid), (c) => enpsFigures(c)) : null,
        questions: questionResults,
        comments,
      },
      heatmap: { drivers: driverKeys, columns, cells: heatCells },
      trend,
      driverTrend: { drivers: trendDriverKeys, columns: trendColumns, cells: trendCells },
      identified,
    },
  }
}

const optionalId = (what: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || z.uuid().safeParse(v).success, { error: `${what} must be an id from the results page` })

/** The URL filters of the results page and its export: ?round=<id>&team=<id>. */
export const resultsFilterSchema = z.object({ round: optionalId('round'), team: optionalId('team') }).transform((f) => ({ roundId: f.round, teamId: f.team }))

/**
 * Action plans (closing the loop): what was decided on a result, by whom and by when, and what it
 * aims to move. Who sees and edits what is decided inside every query:
 * - read: hr, leader and admin (actions:read-org) the whole organisation; anyone else the actions
 *   of the teams they manage and their sub-teams (never organisation-wide ones);
 * - write: hr and admin (actions:write-org) anything; anyone else the teams they manage.
 * Employees see only "you said, we did" for their own team, through their survey link.
 */
import { type SQL, sql } from 'drizzle-orm'
import { type Db, type DbOrTx, queryRows } from '#db/client'
import type { ActionStatus } from '#db/schema/loop'
import type { Role } from '#db/schema/people'
import { requireManagerOr } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { type ScopeSubject, personInScope, teamInScope } from '~/auth/scope.server'
import type { AppContext } from '~/context'
import { orgContext } from '~/funnel/kpi.server'
import { messagesFor } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { getSettings } from '~/settings/settings.server'
import type { ActionInput } from './action-schema'

/** A signed-in person, or an API key (org-wide read, no personal relationships). */
export type ActionViewer = { id: string; role: Role } | { apiKey: true; role: Role }

export type ActionRow = {
  id: string
  title: string
  description: string
  status: ActionStatus
  source: 'driver' | 'enps' | 'signal' | 'manual'
  team: { id: string; name: string } | null
  owner: { id: string; name: string; email: string } | null
  driver: string | null
  kpi: string | null
  dueOn: string | null
  overdue: boolean
  outcome: string
  sourceSurveyId: string | null
  sourceRoundId: string | null
  signalId: string | null
  createdBy: { id: string; name: string } | null
  startedAt: string | null
  doneAt: string | null
  createdAt: string
  updatedAt: string
  /** Whether the viewer may edit it (status, outcome, fields). */
  canEdit: boolean
}

/** Today's date (YYYY-MM-DD) in the organisation's time zone: due dates and periods are local days. */
export async function orgToday(db: Db, now = new Date()): Promise<string> {
  return new Intl.DateTimeFormat('en-CA', { timeZone: (await orgContext(db)).tz }).format(now)
}

/**
 * The guard of every action screen: managers (for their teams) and, for reading, hr/leader/admin;
 * for writing, hr/admin. Employees and marketing get 403. Returns the viewer's messages and today.
 */
export async function requireActionsAccess(ctx: AppContext, request: Request, kind: 'read' | 'write') {
  const viewer = await requireManagerOr(ctx, request, kind === 'read' ? 'actions:read-org' : 'actions:write-org')
  const settings = await getSettings(ctx.db)
  const locale = await resolveLocale(request, viewer.locale, settings.defaultLocale)
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: settings.timezone }).format(new Date())
  return { viewer, t: messagesFor(locale), locale, today }
}

/** The scope rule's input for a viewer: an API key has its role and no relationships. */
const subject = (viewer: ActionViewer): ScopeSubject => ({ viewer: { id: 'apiKey' in viewer ? null : viewer.id, role: viewer.role } })

/** SQL condition over an action's team column: may the viewer read it? */
function readable(viewer: ActionViewer, teamColumn: SQL): SQL {
  return teamInScope(teamColumn, subject(viewer), 'actions:read-org')
}

/** SQL condition over an action's team column: may the viewer create or edit for it? */
function writable(viewer: ActionViewer, teamColumn: SQL): SQL {
  return teamInScope(teamColumn, subject(viewer), 'actions:write-org')
}

/** Signals follow the same rule as actions: signals:org sees all, a manager their teams. */
function signalVisible(viewer: ActionViewer, teamColumn: SQL): SQL {
  return teamInScope(teamColumn, subject(viewer), 'signals:org')
}

const selectActions = (viewer: ActionViewer, today: string) => sql`
  select a.id::text as id, a.title, a.description, a.status, a.source,
    case when t.id is null then null else jsonb_build_object('id', t.id::text, 'name', t.name) end as team,
    case when o.id is null then null else jsonb_build_object('id', o.id::text, 'name', o.name, 'email', o.email) end as owner,
    a.driver, a.kpi, to_char(a.due_on, 'YYYY-MM-DD') as "dueOn",
    (a.due_on is not null and a.due_on < ${today}::date and a.status <> 'done') as overdue,
    a.outcome, a.source_survey_id::text as "sourceSurveyId", a.source_round_id::text as "sourceRoundId", a.signal_id::text as "signalId",
    case when c.id is null then null else jsonb_build_object('id', c.id::text, 'name', c.name) end as "createdBy",
    a.started_at as "startedAt", a.done_at as "doneAt", a.created_at as "createdAt", a.updated_at as "updatedAt",
    coalesce(${writable(viewer, sql`a.team_id`)} and (a.team_id is not null or ${roleCan(viewer.role, 'actions:write-org')}), false) as "canEdit"
  from actions a
  left join teams t on t.id = a.team_id
  left join people o on o.id = a.owner_id
  left join people c on c.id = a.created_by_id`

type RawAction = Omit<ActionRow, 'startedAt' | 'doneAt' | 'createdAt' | 'updatedAt'> & { startedAt: Date | string | null; doneAt: Date | string | null; createdAt: Date | string; updatedAt: Date | string }

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())

function toRow(r: RawAction): ActionRow {
  return { ...r, startedAt: iso(r.startedAt), doneAt: iso(r.doneAt), createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! }
}

export type ActionFilters = { status?: ActionStatus; team?: string | 'org'; overdue?: boolean }

/** The actions the viewer may read, filtered; overdue = due before today and not done. Newest first. */
export async function listActions(db: Db, viewer: ActionViewer, filters: ActionFilters, today: string): Promise<ActionRow[]> {
  const where: SQL[] = [readable(viewer, sql`a.team_id`)]
  if (filters.status) where.push(sql`a.status = ${filters.status}`)
  if (filters.team === 'org') where.push(sql`a.team_id is null`)
  else if (filters.team) where.push(sql`a.team_id = ${filters.team}::uuid`)
  if (filters.overdue) where.push(sql`a.due_on < ${today}::date and a.status <> 'done'`)
  const rows = await queryRows<RawAction>(db, sql`${selectActions(viewer, today)} where ${sql.join(where, sql` and `)} order by a.created_at desc, a.id limit 500`)
  return rows.map(toRow)
}

/** One action if the viewer may read it, else null (the route answers 404: absent and hidden look alike). */
export async function getAction(db: Db, viewer: ActionViewer, id: string, today: string): Promise<ActionRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  const [row] = await queryRows<RawAction>(db, sql`${selectActions(viewer, today)} where a.id = ${id}::uuid and ${readable(viewer, sql`a.team_id`)}`)
  return row ? toRow(row) : null
}

/** The teams the viewer may create actions for (in tree order is not needed: by name). */
export async function writableTeams(db: Db, viewer: { id: string; role: Role }): Promise<{ id: string; name: string }[]> {
  return queryRows(db, sql`select t.id::text as id, t.name from teams t where ${writable(viewer, sql`t.id`)} order by t.name`)
}

/** The teams the viewer may filter the list by. */
export async function readableTeams(db: Db, viewer: { id: string; role: Role }): Promise<{ id: string; name: string }[]> {
  return queryRows(db, sql`select t.id::text as id, t.name from teams t where ${readable(viewer, sql`t.id`)} order by t.name`)
}

/** Possible owners: active people (hr/admin: everyone; a manager: their teams' members and themselves). */
export async function ownerOptions(db: Db, viewer: { id: string; role: Role }): Promise<{ id: string; name: string; email: string }[]> {
  return queryRows(db, sql`select p.id::text as id, p.name, p.email from people p where p.active and ${ownerScope(viewer)} order by p.name`)
}

/** SQL condition over people p: may the viewer make them an action's owner? The same rule as the owner list. */
function ownerScope(viewer: { id: string; role: Role }): SQL {
  return sql`(p.id = ${viewer.id}::uuid or ${personInScope(sql`p.id`, subject(viewer), 'actions:write-org')})`
}

export type SignalPrefill = { id: string; teamId: string; teamName: string; status: string; kpi: string | null; driver: string | null; period: string }

/** A signal the viewer may see (for prefilling the form), else null. */
export async function visibleSignal(db: Db, viewer: ActionViewer, signalId: string): Promise<SignalPrefill | null> {
  if (!/^[0-9a-f-]{36}$/i.test(signalId)) return null
  const [row] = await queryRows<SignalPrefill>(
    db,
    sql`select s.id::text as id, s.team_id::text as "teamId", t.name as "teamName", s.status, to_char(s.period, 'YYYY-MM-DD') as period,
          s.details->>'kpi' as kpi,
          coalesce(s.details->>'driver', case when s.details->>'sentiment' = 'enps' or s.details ? 'enpsBefore' or s.details ? 'enps' then 'enps' end) as driver
        from signals s join teams t on t.id = s.team_id
        where s.id = ${signalId}::uuid and ${signalVisible(viewer, sql`s.team_id`)}`,
  )
  return row ?? null
}

export type WriteError = 'not_found' | 'team_out_of_scope' | 'org_needs_hr' | 'unknown_owner' | 'signal_taken' | 'unknown_team' | 'unknown_source'
export type WriteOutcome = { ok: true; id: string } | { ok: false; error: WriteError }

/** startedAt/doneAt follow the status: started when first in progress (or done), done when done, cleared when reopened. */
const startedAtSql = (status: ActionStatus, current: SQL) => (status === 'planned' ? current : sql`coalesce(${current}, now())`)
const doneAtSql = (status: ActionStatus, current: SQL) => (status === 'done' ? sql`coalesce(${current}, now())` : sql`null`)

async function checkTeamAndOwner(db: Db, viewer: { id: string; role: Role }, teamId: string | null, ownerId: string | null): Promise<WriteError | null> {
  const [row] = await queryRows<{ teamExists: boolean; teamWritable: boolean; ownerOk: boolean }>(
    db,
    sql`select exists (select 1 from teams t where t.id = ${teamId}::uuid) as "teamExists",
               exists (select 1 from teams t where t.id = ${teamId}::uuid and ${writable(viewer, sql`t.id`)}) as "teamWritable",
               (${ownerId}::uuid is null or exists (select 1 from people p where p.id = ${ownerId}::uuid and p.active and ${ownerScope(viewer)})) as "ownerOk"`,
  )
  if (teamId === null) {
    if (!roleCan(viewer.role, 'actions:write-org')) return 'org_needs_hr'
  } else if (!row.teamExists) {
    return 'unknown_team'
  } else if (!row.teamWritable) {
    return 'team_out_of_scope'
  }
  return row.ownerOk ? null : 'unknown_owner'
}

/**
 * Creates an action. From a signal, the action takes the signal's team, and in the same
 * transaction the signal becomes 'actioned'; a signal the viewer may not see is 'not_found', and a
 * signal that already has an action is 'signal_taken' (actions.signal_id is unique).
 */
export async function createAction(db: Db, viewer: { id: string; role: Role }, input: ActionInput): Promise<WriteOutcome> {
  return db.transaction(async (tx) => {
    const t: DbOrTx = tx
    let teamId = input.teamId ?? null
    if (input.signalId) {
      const [signal] = await queryRows<{ teamId: string }>(
        t,
        sql`select s.team_id::text as "teamId" from signals s where s.id = ${input.signalId}::uuid and ${signalVisible(viewer, sql`s.team_id`)} for update`,
      )
      if (!signal) return { ok: false, error: 'not_found' } as const
      teamId = signal.teamId
    }
    const problem = await checkTeamAndOwner(t, viewer, teamId, input.ownerId ?? null)
    if (problem) return { ok: false, error: problem } as const
    // The survey and round come from the link that opened the form: an id of neither is refused with a message, not a foreign-key failure.
    const [source] = await queryRows<{ ok: boolean }>(
      t,
      sql`select (${input.sourceSurveyId ?? null}::uuid is null or exists (select 1 from surveys where id = ${input.sourceSurveyId ?? null}::uuid))
             and (${input.sourceRoundId ?? null}::uuid is null or exists (select 1 from survey_rounds where id = ${input.sourceRoundId ?? null}::uuid)) as ok`,
    )
    if (!source.ok) return { ok: false, error: 'unknown_source' } as const
    const status = input.status
    const [created] = await queryRows<{ id: string }>(
      t,
      sql`insert into actions (title, description, owner_id, team_id, driver, kpi, due_on, status, source, source_survey_id, source_round_id, signal_id, outcome, started_at, done_at, created_by_id)
          values (${input.title}, ${input.description}, ${input.ownerId ?? null}, ${teamId}, ${input.driver ?? null}, ${input.kpi ?? null}, ${input.dueOn ?? null}, ${status},
                  ${input.signalId ? 'signal' : input.source}, ${input.sourceSurveyId ?? null}, ${input.sourceRoundId ?? null}, ${input.signalId ?? null}, ${input.outcome},
                  ${startedAtSql(status, sql`null::timestamptz`)}, ${doneAtSql(status, sql`null::timestamptz`)}, ${viewer.id})
          on conflict (signal_id) do nothing
          returning id::text as id`,
    )
    if (!created) return { ok: false, error: 'signal_taken' } as const
    if (input.signalId) await t.execute(sql`update signals set status = 'actioned' where id = ${input.signalId}::uuid`)
    return { ok: true, id: created.id } as const
  })
}

/**
 * Updates an action the viewer may edit: its fields, status (setting startedAt/doneAt) and outcome.
 * The team may change only to another team the viewer may write for. The signal link and source stay.
 */
export async function updateAction(db: Db, viewer: { id: string; role: Role }, id: string, input: ActionInput, today: string): Promise<WriteOutcome | { ok: false; error: 'forbidden' }> {
  const current = await getAction(db, viewer, id, today)
  if (!current) return { ok: false, error: 'not_found' }
  if (!current.canEdit) return { ok: false, error: 'forbidden' }
  const teamId = current.signalId ? (current.team?.id ?? null) : (input.teamId ?? null)
  const problem = await checkTeamAndOwner(db, viewer, teamId, input.ownerId ?? null)
  if (problem) return { ok: false, error: problem }
  const status = input.status
  const [updated] = await queryRows<{ id: string }>(
    db,
    sql`update actions a set title = ${input.title}, description = ${input.description}, owner_id = ${input.ownerId ?? null}, team_id = ${teamId},
          driver = ${input.driver ?? null}, kpi = ${input.kpi ?? null}, due_on = ${input.dueOn ?? null}, status = ${status}, outcome = ${input.outcome},
          started_at = ${startedAtSql(status, sql`a.started_at`)}, done_at = ${doneAtSql(status, sql`a.done_at`)}, updated_at = now()
        where a.id = ${id}::uuid and ${writable(viewer, sql`a.team_id`)}
        returning a.id::text as id`,
  )
  return updated ? { ok: true, id: updated.id } : { ok: false, error: 'not_found' }
}

export type WeDidItem = { title: string; outcome: string; status: 'in_progress' | 'done' }

/** How far back "you said, we did" looks. */
export const WE_DID_DAYS = 90
export const WE_DID_MAX = 3

/**
 * "You said, we did" for one invitation: actions done (or in progress) in the last 90 days for the
 * invitee's team, its parent teams, or the whole organisation — this survey's first, done before
 * in progress, newest first, at most three. Only titles and outcome texts: nothing about anyone.
 */
export async function weDidForInvitation(db: Db, invitationId: string): Promise<WeDidItem[]> {
  return (await weDidForInvitations(db, [invitationId])).get(invitationId.toLowerCase()) ?? []
}

/**
 * The same for several invitations in one query (a wave's batch), by invitation id. The ids go as
 * one array parameter, so the statement's text is the same for every batch.
 */
export async function weDidForInvitations(db: Db, invitationIds: string[]): Promise<Map<string, WeDidItem[]>> {
  // Keyed by the database's text of the id (lower case), whatever case the caller used.
  const byInvitation = new Map<string, WeDidItem[]>(invitationIds.map((id) => [id.toLowerCase(), []]))
  if (!invitationIds.length) return byInvitation
  const rows = await queryRows<WeDidItem & { invitationId: string }>(
    db,
    sql`select inv.id::text as "invitationId", w.title, w.outcome, w.status
        from (
          select i.id, p.team_id, r.survey_id from invitations i join people p on p.id = i.person_id join survey_rounds r on r.id = i.round_id
          where i.id = any(string_to_array(${invitationIds.join(',')}, ',')::uuid[])
        ) inv
        cross join lateral (
          with recursive up(id) as (
            select inv.team_id where inv.team_id is not null
            union
            select t.parent_id from teams t join up on t.id = up.id where t.parent_id is not null
          )
          select a.title, a.outcome, a.status,
                 row_number() over (order by (a.source_survey_id is not distinct from inv.survey_id) desc, (a.status = 'done') desc,
                                             coalesce(a.done_at, a.started_at, a.updated_at) desc, a.id) as ord
          from actions a
          where a.status in ('in_progress', 'done')
            and (a.team_id is null or a.team_id in (select id from up))
            and coalesce(a.done_at, a.started_at, a.updated_at) >= now() - ${`${WE_DID_DAYS} days`}::interval
          order by ord
          limit ${WE_DID_MAX}
        ) w
        order by inv.id, w.ord`,
  )
  for (const { invitationId, ...item } of rows) byInvitation.get(invitationId)?.push(item)
  return byInvitation
}

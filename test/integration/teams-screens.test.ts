import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import * as teamPage from '~/routes/teams.$teamId'
import * as teamsList from '~/routes/teams._index'
import * as teamsNew from '~/routes/teams.new'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
let admin: string

beforeAll(async () => {
  ctx = await setupTestContext()
  admin = await signedInCookie(ctx, (await createPerson(ctx.db, { email: 'admin@teams.test', name: 'Ada Admin', role: 'admin', locale: 'en' })).id)
})

const errorsOf = async (res: unknown) => {
  expect((res as Response).status).toBe(400)
  return ((await (res as Response).json()) as { result: { error: Record<string, string[]> } }).result.error
}
const saveTeam = (teamId: string, values: Record<string, string>) =>
  call(teamPage.action as never, ctx, makeRequest(`/teams/${teamId}`, { form: { intent: 'save', ...values }, cookie: admin }), { teamId })

describe('teams', () => {
  it('creates a team with a parent and a manager; names are unique whatever their case', async () => {
    const boss = await createPerson(ctx.db, { email: 'boss@teams.test', name: 'Bea Boss' })
    const sales = await createTeam(ctx.db, { name: 'Sales Italy' })
    const res = (await call(teamsNew.action as never, ctx, makeRequest('/teams/new', { form: { intent: 'save', name: ' Milano North ', parentId: sales.id, managerId: boss.id }, cookie: admin }))) as Response
    expect(res.status).toBe(302)
    const id = res.headers.get('Location')!.match(/^\/teams\/([0-9a-f-]{36})\?saved=created$/)![1]
    const [row] = await queryRows<Record<string, unknown>>(ctx.db, sql`select name, parent_id, manager_id from teams where id = ${id}`)
    expect(row).toEqual({ name: 'Milano North', parent_id: sales.id, manager_id: boss.id })
    const dup = await call(teamsNew.action as never, ctx, makeRequest('/teams/new', { form: { intent: 'save', name: 'milano north' }, cookie: admin }))
    expect((await errorsOf(dup)).name).toEqual(['A team called milano north already exists.'])
    const empty = await call(teamsNew.action as never, ctx, makeRequest('/teams/new', { form: { intent: 'save', name: '  ' }, cookie: admin }))
    expect((await errorsOf(empty)).name).toEqual(['Enter a team name.'])
  })

  it('refuses a parent team that would put a team inside itself, naming the chain', async () => {
    const top = await createTeam(ctx.db, { name: 'Top' })
    const middle = await createTeam(ctx.db, { name: 'Middle', parentId: top.id })
    const leaf = await createTeam(ctx.db, { name: 'Leaf', parentId: middle.id })
    expect((await errorsOf(await saveTeam(top.id, { name: 'Top', parentId: leaf.id }))).parentId).toEqual(['A team cannot be inside itself: Top is part of Leaf is part of Middle is part of Top.'])
    expect((await errorsOf(await saveTeam(top.id, { name: 'Top', parentId: top.id }))).parentId).toEqual(['A team cannot be inside itself: Top is part of Top.'])
    const [row] = await queryRows<{ parent_id: string | null }>(ctx.db, sql`select parent_id from teams where id = ${top.id}`)
    expect(row.parent_id).toBeNull()
    // A legal move is saved.
    const other = await createTeam(ctx.db, { name: 'Other' })
    expect(((await saveTeam(leaf.id, { name: 'Leaf', parentId: other.id })) as Response).status).toBe(302)
  })

  it('deletes a team only when it has no members and no sub-teams', async () => {
    const full = await createTeam(ctx.db, { name: 'Full' })
    await createTeam(ctx.db, { name: 'Child', parentId: full.id })
    await createPerson(ctx.db, { email: 'member@teams.test', name: 'Mem Ber', teamId: full.id })
    const refused = (await call(teamPage.action as never, ctx, makeRequest(`/teams/${full.id}`, { form: { intent: 'delete' }, cookie: admin }), { teamId: full.id })) as Response
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual({ deleteError: 'This team still has 1 member(s) and 1 sub-team(s): move them first.' })
    const empty = await createTeam(ctx.db, { name: 'Empty' })
    const done = (await call(teamPage.action as never, ctx, makeRequest(`/teams/${empty.id}`, { form: { intent: 'delete' }, cookie: admin }), { teamId: empty.id })) as Response
    expect(done.headers.get('Location')).toBe('/teams?deleted=1')
    const rows = await queryRows<{ name: string }>(ctx.db, sql`select name from teams where id in (${full.id}, ${empty.id})`)
    expect(rows).toEqual([{ name: 'Full' }])
  })

  it('lists teams with parent, manager and counts', async () => {
    const data = (await call(teamsList.loader as never, ctx, makeRequest('/teams', { cookie: admin }))) as { teams: { name: string; parentName: string | null; managerName: string | null; members: number; subTeams: number }[] }
    expect(data.teams.find((t) => t.name === 'Milano North')).toMatchObject({ parentName: 'Sales Italy', managerName: 'Bea Boss', members: 0, subTeams: 0 })
    expect(data.teams.find((t) => t.name === 'Full')).toMatchObject({ members: 1, subTeams: 1 })
  })
})

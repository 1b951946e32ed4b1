import { beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '~/context'
import * as orgChart from '~/routes/org-chart'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext

beforeAll(async () => {
  ctx = await setupTestContext()
})

describe('org chart', () => {
  it('nests teams under their parents with manager and members, and people under their managers', async () => {
    const org = await createTeam(ctx.db, { name: 'Organisation' })
    const north = await createTeam(ctx.db, { name: 'North', parentId: org.id })
    const ceo = await createPerson(ctx.db, { email: 'ceo@org.test', name: 'Cleo Ceo', role: 'leader', teamId: org.id })
    const lead = await createPerson(ctx.db, { email: 'lead@org.test', name: 'Liam Lead', teamId: north.id, managerId: ceo.id })
    await createPerson(ctx.db, { email: 'rep1@org.test', name: 'Ria Rep', teamId: north.id, managerId: lead.id })
    await createPerson(ctx.db, { email: 'rep2@org.test', name: 'Ravi Rep', teamId: north.id, managerId: lead.id })
    await createPerson(ctx.db, { email: 'gone@org.test', name: 'Gone Rep', teamId: north.id, managerId: lead.id, active: false })
    await setTeamManager(ctx.db, north.id, lead.id)
    const viewer = await createPerson(ctx.db, { email: 'leader@org.test', name: 'Zed Leader', role: 'leader' })
    const data = (await call(orgChart.loader as never, ctx, makeRequest('/org-chart', { cookie: await signedInCookie(ctx, viewer.id) }))) as {
      teams: { name: string; depth: number; managerName: string | null; members: { name: string }[] }[]
      people: { name: string; depth: number; reports: number }[]
      canOpenPeople: boolean
    }
    expect(data.canOpenPeople).toBe(false)
    expect(data.teams.map((t) => [t.name, t.depth, t.managerName, t.members.map((m) => m.name)])).toEqual([
      ['Organisation', 0, null, ['Cleo Ceo']],
      ['North', 1, 'Liam Lead', ['Liam Lead', 'Ravi Rep', 'Ria Rep']],
    ])
    expect(data.people.map((p) => [p.name, p.depth, p.reports])).toEqual([
      ['Cleo Ceo', 0, 1],
      ['Liam Lead', 1, 2],
      ['Ravi Rep', 2, 0],
      ['Ria Rep', 2, 0],
      ['Zed Leader', 0, 0],
    ])
  })
})

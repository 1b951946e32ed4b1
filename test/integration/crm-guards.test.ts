import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Person } from '#db/schema'
import { uploadsDir } from '~/funnel/import-upload.server'
import { action as runAction, loader as runLoader } from '~/routes/imports.$runId'
import { action as uploadAction, loader as importsLoader } from '~/routes/imports._index'
import { action as ownersAction, loader as ownersLoader } from '~/routes/owners'
import { setupTestContext } from '#test/support/context'
import { countRows, uploadFixture } from '#test/support/crm-factories'
import { createPerson } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

const dataDir = mkdtempSync(join(tmpdir(), 'pulseboard-guards-'))
const ctx = await setupTestContext({ env: { DATA_DIR: dataDir } })
const roles = ['employee', 'hr', 'leader', 'marketing'] as const
const cookies = new Map<string, string>()
let admin: Person
let runId: string

beforeAll(async () => {
  admin = await createPerson(ctx.db, { role: 'admin' })
  cookies.set('admin', await signedInCookie(ctx, admin.id))
  for (const role of roles) cookies.set(role, await signedInCookie(ctx, (await createPerson(ctx.db, { role })).id))
  // A manager (someone with a direct report) is no admin either.
  const manager = await createPerson(ctx.db, { role: 'employee' })
  await createPerson(ctx.db, { role: 'employee', managerId: manager.id })
  cookies.set('manager', await signedInCookie(ctx, manager.id))
  runId = await uploadFixture(ctx, 'pipedrive-deals.csv')
})

const status = (result: unknown) => (result instanceof Response ? result.status : 200)

describe('imports and owners are for admins only', () => {
  for (const role of [...roles, 'manager']) {
    it(`${role}: every loader and action of /imports, /imports/:runId and /owners answers 403 and changes nothing`, async () => {
      const cookie = cookies.get(role)!
      expect(status(await call(importsLoader as never, ctx, makeRequest('/imports', { cookie })))).toBe(403)
      const form = new FormData()
      form.append('file', new File(['external_id,owner,amount\n1,a,1\n'], 'x.csv', { type: 'text/csv' }))
      expect(status(await call(uploadAction as never, ctx, makeRequest('/imports', { method: 'POST', cookie, body: form })))).toBe(403)
      expect(status(await call(runLoader as never, ctx, makeRequest(`/imports/${runId}`, { cookie }), { runId }))).toBe(403)
      expect(status(await call(runAction as never, ctx, makeRequest(`/imports/${runId}`, { cookie, form: { intent: 'commit' } }), { runId }))).toBe(403)
      expect(status(await call(runAction as never, ctx, makeRequest(`/imports/${runId}`, { cookie, form: { intent: 'map', 'map.externalId': 'Deal - ID' } }), { runId }))).toBe(403)
      expect(status(await call(ownersLoader as never, ctx, makeRequest('/owners', { cookie })))).toBe(403)
      expect(status(await call(ownersAction as never, ctx, makeRequest('/owners', { cookie, form: { intent: 'map', ownerKey: 'Davide Greco', personId: admin.id } })))).toBe(403)
      expect(status(await call(ownersAction as never, ctx, makeRequest('/owners', { cookie, form: { intent: 'unmap', ownerKey: 'Davide Greco' } })))).toBe(403)
      await ctx.jobs.drain(ctx)
      expect(await countRows(ctx.db, 'opportunities')).toBe(0)
      expect(readdirSync(uploadsDir(dataDir))).toHaveLength(1)
    })
  }

  it('signed out: redirected to sign in', async () => {
    const result = (await call(importsLoader as never, ctx, makeRequest('/imports'))) as Response
    expect(result.status).toBe(302)
    expect(result.headers.get('Location')).toBe('/login?redirectTo=%2Fimports')
  })

  it('admin: the pages load, the preview is shown, and mapping an owner works', async () => {
    const cookie = cookies.get('admin')!
    const imports = (await call(importsLoader as never, ctx, makeRequest('/imports', { cookie }))) as { runs: { id: string; status: string }[] }
    expect(imports.runs).toEqual([expect.objectContaining({ id: runId, status: 'previewed' })])
    const run = (await call(runLoader as never, ctx, makeRequest(`/imports/${runId}`, { cookie }), { runId })) as { preview: { created: number } }
    expect(run.preview.created).toBe(45)
    expect(status(await call(runAction as never, ctx, makeRequest(`/imports/${runId}`, { cookie, form: { intent: 'commit' } }), { runId }))).toBe(302)
    await ctx.jobs.drain(ctx, ['crm.import.commit'])
    const owners = (await call(ownersLoader as never, ctx, makeRequest('/owners', { cookie }))) as { unmapped: { ownerKey: string; opportunities: number }[] }
    // No person in this database has the exports' owner names: all twelve are listed.
    expect(owners.unmapped).toHaveLength(12)
    expect(owners.unmapped[0]).toEqual({ ownerKey: 'Davide Greco', opportunities: 7, leads: 0 })
    const mapped = (await call(ownersAction as never, ctx, makeRequest('/owners', { cookie, form: { intent: 'map', ownerKey: 'Davide Greco', personId: admin.id } }))) as { ok: boolean; message: string }
    expect(mapped.ok).toBe(true)
    const after = (await call(ownersLoader as never, ctx, makeRequest('/owners', { cookie }))) as { unmapped: unknown[]; mappings: { ownerKey: string; opportunities: number }[] }
    expect(after.unmapped).toHaveLength(11)
    expect(after.mappings).toEqual([expect.objectContaining({ ownerKey: 'davide greco', personId: admin.id, opportunities: 7 })])
    const unknownPerson = (await call(ownersAction as never, ctx, makeRequest('/owners', { cookie, form: { intent: 'map', ownerKey: 'Noah Patel', personId: '00000000-0000-4000-8000-000000000000' } }))) as Response
    expect(unknownPerson.status).toBe(400)
  })
})

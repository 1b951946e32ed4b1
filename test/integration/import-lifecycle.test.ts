import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { Person } from '#db/schema'
import { getImportRun, requestCommit } from '~/funnel/import.server'
import { UploadError, saveUploadStream, uploadsDir } from '~/funnel/import-upload.server'
import { action as runAction, loader as runLoader } from '~/routes/imports.$runId'
import { action as uploadAction } from '~/routes/imports._index'
import { setupTestContext } from '#test/support/context'
import { countRows, createFixturePeople, fixture, importFixture, uploadFixture } from '#test/support/crm-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

const dataDir = mkdtempSync(join(tmpdir(), 'pulseboard-lifecycle-'))
const ctx = await setupTestContext({ env: { DATA_DIR: dataDir } })
let admin: Person
let cookie: string

beforeAll(async () => {
  const people = await createFixturePeople(ctx.db)
  admin = people.get('Matteo Costa')!
  cookie = await signedInCookie(ctx, admin.id)
})

const hubspotRow = (id: string) =>
  queryRows<{ stage: string; amount: string; status: string }>(ctx.db, sql`select stage, amount, status from opportunities where source = 'hubspot' and external_id = ${id}`).then((r) => r[0])

describe('re-import and newer exports', () => {
  it('re-importing the same file changes nothing and records no stage history', async () => {
    const first = await importFixture(ctx, 'hubspot-crm-exports-all-deals-2026-11-20.csv')
    expect(first).toMatchObject({ created: 45, updated: 0, unchanged: 0 })
    const again = await importFixture(ctx, 'hubspot-crm-exports-all-deals-2026-11-20.csv')
    expect(again).toMatchObject({ status: 'committed', created: 0, updated: 0, unchanged: 45, rejected: 0 })
    expect(again.details.preview).toMatchObject({ created: 0, updated: 0, unchanged: 45, rejected: 0 })
    expect(await countRows(ctx.db, 'opportunity_stage_history')).toBe(0)
    expect(await countRows(ctx.db, 'opportunities')).toBe(45)
  })

  it('a failure mid-commit (after every CRM write) rolls everything back and records why', async () => {
    // A trigger refuses the last statement of the commit — the run marked committed — so the
    // rows, stage history and owner updates written before it must all disappear.
    await ctx.db.execute(sql.raw(`create function refuse_commit() returns trigger language plpgsql as $$
      begin if new.status = 'committed' and new.source = 'hubspot' then raise exception 'forced failure for the test'; end if; return new; end $$`))
    await ctx.db.execute(sql.raw(`create trigger refuse_commit before update on import_runs for each row execute function refuse_commit()`))
    const runId = await uploadFixture(ctx, 'crm/hubspot-crm-exports-all-deals-2026-11-25.csv')
    expect((await getImportRun(ctx.db, runId))?.details.preview).toMatchObject({ created: 0, updated: 2, unchanged: 43, rejected: 0 })
    await requestCommit(ctx, runId)
    await ctx.jobs.drain(ctx, ['crm.import.commit'])
    const failed = await getImportRun(ctx.db, runId)
    expect(failed?.status).toBe('failed')
    expect(failed?.error, String(failed?.error)).toContain('forced failure for the test')
    expect(await hubspotRow('9000000000')).toEqual({ stage: 'qualification', amount: '4400.00', status: 'open' })
    expect(await countRows(ctx.db, 'opportunity_stage_history')).toBe(0)
    await ctx.db.execute(sql.raw(`drop trigger refuse_commit on import_runs`))
    await ctx.db.execute(sql.raw(`drop function refuse_commit()`))
  })

  it('a newer export updates the changed deals and dates their stage changes with the export date', async () => {
    const run = await importFixture(ctx, 'crm/hubspot-crm-exports-all-deals-2026-11-25.csv')
    expect(run).toMatchObject({ status: 'committed', created: 0, updated: 2, unchanged: 43, rejected: 0 })
    expect(await hubspotRow('9000000000')).toEqual({ stage: 'needs_analysis', amount: '4800.00', status: 'open' })
    expect(await hubspotRow('9000000002')).toEqual({ stage: 'closed_won', amount: '29100.00', status: 'won' })
    const history = await queryRows<{ external_id: string; from_stage: string; to_stage: string; changed_at: string }>(
      ctx.db,
      sql`select o.external_id, h.from_stage, h.to_stage, to_char(h.changed_at at time zone 'Europe/Rome', 'YYYY-MM-DD HH24:MI') as changed_at
        from opportunity_stage_history h join opportunities o on o.id = h.opportunity_id order by o.external_id`,
    )
    expect(history).toEqual([
      { external_id: '9000000000', from_stage: 'qualification', to_stage: 'needs_analysis', changed_at: '2026-11-25 00:00' },
      { external_id: '9000000002', from_stage: 'prospecting', to_stage: 'closed_won', changed_at: '2026-11-25 00:00' },
    ])
    // And importing the newer export again is a no-op.
    expect(await importFixture(ctx, 'crm/hubspot-crm-exports-all-deals-2026-11-25.csv')).toMatchObject({ created: 0, updated: 0, unchanged: 45 })
    expect(await countRows(ctx.db, 'opportunity_stage_history')).toBe(2)
  })
})

describe('bad rows and bad files', () => {
  it('rejects bad rows with their line numbers and reasons, imports the rest, and lists them on the run page', async () => {
    const runId = await uploadFixture(ctx, 'crm/generic-opportunities-rejections.csv')
    const previewed = await getImportRun(ctx.db, runId)
    expect(previewed).toMatchObject({ status: 'previewed', rejected: 9, rowsTotal: 11 })
    expect(previewed?.details.preview).toMatchObject({ created: 2, updated: 0, unchanged: 0, rejected: 9 })
    expect(await queryRows(ctx.db, sql`select count(*)::int as n from opportunities where source = 'csv'`)).toEqual([{ n: 0 }])

    const page = (await call(runLoader as never, ctx, makeRequest(`/imports/${runId}`, { cookie }), { runId })) as { rejections: { rows: { line: number; reason: string }[]; total: number } }
    expect(page.rejections.total).toBe(9)
    expect(page.rejections.rows.map((r) => r.line)).toEqual([3, 4, 6, 7, 8, 9, 10, 11, 12])
    // The admin reads Italian: reasons are shown in the viewer's language (import-reasons.test.ts has every one).
    expect(page.rejections.rows[0].reason).toBe('Colonna "amount": "-500.00" è negativo; è atteso un importo pari o superiore a 0')
    expect(page.rejections.rows[1].reason).toContain('è precedente alla data di creazione')
    expect(page.rejections.rows[2].reason).toContain('"2026-13-45" non è una data o un’ora esistente')
    expect(page.rejections.rows[3].reason).toContain('"12abc" non è un importo')
    expect(page.rejections.rows[4].reason).toContain('la trattativa è vinta; una trattativa vinta o persa deve avere la sua data di chiusura')

    const commit = (await call(runAction as never, ctx, makeRequest(`/imports/${runId}`, { cookie, form: { intent: 'commit' } }), { runId })) as Response
    expect(commit.status).toBe(302)
    await ctx.jobs.drain(ctx, ['crm.import.commit'])
    expect(await getImportRun(ctx.db, runId)).toMatchObject({ status: 'committed', created: 2, rejected: 9 })
    const rows = await queryRows<{ external_id: string; amount: string }>(ctx.db, sql`select external_id, amount from opportunities where source = 'csv' order by external_id`)
    expect(rows).toEqual([
      { external_id: 'R-1', amount: '1000.00' },
      { external_id: 'R-11', amount: '1250.00' },
    ])
  })

  async function failsWith(name: string, content: Buffer | string, code: string, message: RegExp) {
    const before = await countRows(ctx.db, 'opportunities')
    const path = join(uploadsDir(dataDir), name)
    await writeFile(path, content)
    const { createImportRun } = await import('~/funnel/import.server')
    const runId = await createImportRun(ctx, { filePath: path, filename: name, createdById: admin.id })
    await ctx.jobs.drain(ctx, ['crm.import.preview'])
    const run = await getImportRun(ctx.db, runId)
    expect(run?.status).toBe('failed')
    expect(run?.details.errorCode).toBe(code)
    expect(run?.error).toMatch(message)
    expect(await countRows(ctx.db, 'opportunities')).toBe(before)
    expect(await queryRows(ctx.db, sql`select count(*)::int as n from import_rejections where run_id = ${runId}`)).toEqual([{ n: 0 }])
    // The upload is not kept once the run has failed.
    expect(readdirSync(uploadsDir(dataDir))).not.toContain(name)
  }

  it('an empty file', async () => {
    await failsWith('empty.csv', '', 'empty_file', /The file is empty/)
  })

  it('a file of another kind (the people export)', async () => {
    await failsWith('people.csv', await readFile(fixture('people.csv')), 'unrecognised_format', /does not look like a CRM export/)
  })

  it('50 MB of noise', async () => {
    await failsWith('noise.csv', randomBytes(50 * 1024 * 1024), 'binary_file', /not a text CSV/)
  })

  it('a wrong encoding: UTF-8 that turns into Windows-1252 further down', async () => {
    const header = 'external_id,owner,amount,stage,created_at,closed_at\n'
    const utf8Rows = Array.from({ length: 3000 }, (_, i) => `E-${i},Società Uno,100,Proposal,2026-01-10,\n`).join('')
    const content = Buffer.concat([Buffer.from(header + utf8Rows, 'utf8'), Buffer.from('E-x,Caf\xe9,100,Proposal,2026-01-10,\n', 'latin1')])
    await failsWith('mixed.csv', content, 'invalid_encoding', /mixes encodings/)
  })

  it('an upload beyond the size cap is refused with a clear message and leaves no file', async () => {
    const dir = join(dataDir, 'cap')
    const stream = Readable.from([Buffer.alloc(600), Buffer.alloc(600)])
    const refused = await saveUploadStream(dir, stream, 1000).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(UploadError)
    expect(refused).toMatchObject({ code: 'too_large', limitBytes: 1000, message: 'The file is larger than 0 MB. Export a shorter period, or split the export, and upload each part.' })
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('upload through the page and the column-mapping step', () => {
  const upload = async (name: string, fields: Record<string, string> = {}) => {
    const form = new FormData()
    form.append('file', new File([await readFile(fixture(name))], name.split('/').pop()!, { type: 'text/csv' }))
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    const response = (await call(uploadAction as never, ctx, makeRequest('/imports', { method: 'POST', cookie, body: form }))) as Response
    expect(response.status).toBe(302)
    const runId = response.headers.get('Location')!.split('/').pop()!
    await ctx.jobs.drain(ctx, ['crm.import.preview'])
    return runId
  }

  it('asks for the unrecognised columns, saves the mapping and reuses it for the next upload', async () => {
    const runId = await upload('crm/custom-layout-opportunities.csv', { kind: 'opportunities' })
    const run = await getImportRun(ctx.db, runId)
    expect(run?.status).toBe('mapping')
    expect(run?.details.format?.missing).toEqual(['externalId', 'ownerKey', 'amount', 'stage', 'createdAt', 'closedAt'])
    const page = (await call(runLoader as never, ctx, makeRequest(`/imports/${runId}`, { cookie }), { runId })) as { mappingFields: { field: string; current: string }[] }
    expect(page.mappingFields.map((f) => f.field)).toEqual(['externalId', 'ownerKey', 'amount', 'stage', 'createdAt', 'closedAt'])

    const mapping = { 'map.externalId': 'Deal Ref', 'map.ownerKey': 'Rep', 'map.amount': 'Value', 'map.stage': 'Phase', 'map.createdAt': 'Opened', 'map.closedAt': 'Closed On' }
    const response = (await call(runAction as never, ctx, makeRequest(`/imports/${runId}`, { cookie, form: { intent: 'map', ...mapping } }), { runId })) as Response
    expect(response.status).toBe(302)
    await ctx.jobs.drain(ctx, ['crm.import.preview'])
    expect(await getImportRun(ctx.db, runId)).toMatchObject({ status: 'previewed', details: { preview: { created: 2, rejected: 0 } } })

    // The same layout again: recognised with the saved mapping, straight to the preview.
    const next = await upload('crm/custom-layout-opportunities.csv', { kind: 'opportunities' })
    expect(await getImportRun(ctx.db, next)).toMatchObject({ status: 'previewed', details: { preview: { created: 2, rejected: 0 } } })
    await requestCommit(ctx, next)
    await ctx.jobs.drain(ctx, ['crm.import.commit'])
    const committed = (await call(runLoader as never, ctx, makeRequest(`/imports/${next}`, { cookie }), { runId: next })) as { status: string; created: number; rowsProcessed: number; rowsTotal: number }
    expect(committed).toMatchObject({ status: 'committed', created: 2, rowsProcessed: 2, rowsTotal: 2 })
  })

  it('refuses an upload without a file, and an unknown kind, writing nothing', async () => {
    const form = new FormData()
    form.append('kind', 'opportunities')
    const response = (await call(uploadAction as never, ctx, makeRequest('/imports', { method: 'POST', cookie, body: form }))) as Response
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('Scegli un file CSV da caricare.')
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Person } from '#db/schema'
import { importRejections } from '#db/schema'
import { loader as runLoader } from '~/routes/imports.$runId'
import { loader as rejectedCsvLoader } from '~/routes/imports.$runId_.rejected[.]csv'
import { setupTestContext } from '#test/support/context'
import { createFixturePeople, uploadFixture } from '#test/support/crm-factories'
import { createPerson } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

/** Rejection reasons are stored as code + parameters and shown in the viewer's language, on the page and in the CSV. */
const ctx = await setupTestContext({ env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'pulseboard-reasons-')) } })
let english: Person
let italian: Person
let runId: string

beforeAll(async () => {
  await createFixturePeople(ctx.db)
  english = await createPerson(ctx.db, { email: 'ops.admin@example.com', name: 'Harriet Ops', role: 'admin', locale: 'en' })
  italian = await createPerson(ctx.db, { email: 'chiara.amministratrice@example.it', name: 'Chiara Ferri', role: 'admin', locale: 'it' })
  runId = await uploadFixture(ctx, 'crm/generic-opportunities-rejections.csv')
})

const ITALIAN = [
  [3, 'Colonna "amount": "-500.00" è negativo; è atteso un importo pari o superiore a 0'],
  [
    4,
    'Colonna "closed_at": "2026-02-10" è precedente alla data di creazione "2026-03-10" (colonna "created_at"); una trattativa non può chiudersi prima di essere creata',
  ],
  [6, 'Colonna "created_at": "2026-13-45" non è una data o un’ora esistente; è attesa una data come 11/26/2026, 2026-11-26 o 2026-11-26 14:30'],
  [7, 'Colonna "amount": "12abc" non è un importo; è atteso un numero come 1234,56, 1.234,56 € o $1,234.56'],
  [8, 'Colonna "closed_at": è vuota, ma la trattativa è vinta; una trattativa vinta o persa deve avere la sua data di chiusura'],
  [9, 'Colonna "external_id": è vuota; ogni riga deve avere l’ID del record nel CRM, così una nuova importazione la aggiorna invece di duplicarla'],
  [10, 'Colonna "external_id": "R-1" è lo stesso ID della riga 2; ogni record può comparire una sola volta per file'],
  [11, 'Colonna "owner": è vuota; ogni trattativa deve avere un titolare (il nome o l’email dell’utente CRM)'],
  [
    12,
    'Colonna "status": "deleted" non è uno stato di trattativa; è atteso aperta, vinta o persa (open, won, lost; Chiusa vinta, Closed Won, Chiusa persa, Closed Lost)',
  ],
] as const

/** The body as sent, byte-order mark included (Response.text() drops it). */
const body = async (response: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer())

type Page = { rejections: { rows: { line: number; reason: string }[]; total: number } }

describe('rejection reasons in the viewer’s language', () => {
  it('an Italian admin reads every reason of the preview in Italian', async () => {
    const cookie = await signedInCookie(ctx, italian.id)
    const page = (await call(runLoader as never, ctx, makeRequest(`/imports/${runId}`, { cookie }), { runId })) as Page
    expect(page.rejections.rows.map((r) => [r.line, r.reason])).toEqual(ITALIAN)
  })

  it('an English admin reads them in English', async () => {
    const cookie = await signedInCookie(ctx, english.id)
    const page = (await call(runLoader as never, ctx, makeRequest(`/imports/${runId}`, { cookie }), { runId })) as Page
    expect(page.rejections.rows[0]).toEqual({ line: 3, reason: 'Column "amount": "-500.00" is negative; expected an amount of 0 or more' })
    expect(page.rejections.rows[6]).toEqual({ line: 10, reason: 'Column "external_id": "R-1" is the same id as line 2; each record may appear only once per file' })
  })

  it('the rejected-rows CSV is in the viewer’s language, one row per rejection with its line, column and value', async () => {
    const cookie = await signedInCookie(ctx, italian.id)
    const response = (await call(rejectedCsvLoader as never, ctx, makeRequest(`/imports/${runId}/rejected.csv`, { cookie }), { runId })) as Response
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="generic-opportunities-rejections-righe-scartate.csv"')
    const lines = (await body(response)).split('\r\n')
    expect(lines[0]).toBe('\uFEFFRiga,Colonna,Valore,Motivo')
    // A value starting with "-" is neutralised against spreadsheet formulas.
    expect(lines[1]).toBe(`3,amount,'-500.00,"Colonna ""amount"": ""-500.00"" è negativo; è atteso un importo pari o superiore a 0"`)
    expect(lines[7]).toBe('10,external_id,R-1,"Colonna ""external_id"": ""R-1"" è lo stesso ID della riga 2; ogni record può comparire una sola volta per file"')
    expect(lines.slice(1, -1).map((l) => Number(l.split(',')[0]))).toEqual(ITALIAN.map(([line]) => line))
    expect(lines.at(-1)).toBe('')

    const inEnglish = (await call(rejectedCsvLoader as never, ctx, makeRequest(`/imports/${runId}/rejected.csv`, { cookie: await signedInCookie(ctx, english.id) }), { runId })) as Response
    const englishLines = (await body(inEnglish)).split('\r\n')
    expect(englishLines[0]).toBe('\uFEFFLine,Column,Value,Reason')
    expect(englishLines[1]).toBe(`3,amount,'-500.00,"Column ""amount"": ""-500.00"" is negative; expected an amount of 0 or more"`)
  })

  it('rows stored before reasons had codes still show their stored text', async () => {
    await ctx.db.insert(importRejections).values({ runId, line: 99, reason: 'Column "amount": an old plain-text reason' })
    const cookie = await signedInCookie(ctx, italian.id)
    const page = (await call(runLoader as never, ctx, makeRequest(`/imports/${runId}`, { cookie }), { runId })) as Page
    expect(page.rejections.rows.at(-1)).toEqual({ line: 99, reason: 'Column "amount": an old plain-text reason' })
    const csv = (await call(rejectedCsvLoader as never, ctx, makeRequest(`/imports/${runId}/rejected.csv`, { cookie }), { runId })) as Response
    expect((await csv.text()).split('\r\n').at(-2)).toBe('99,,,"Column ""amount"": an old plain-text reason"')
  })

  it('the CSV of an unknown run is a 404', async () => {
    const cookie = await signedInCookie(ctx, italian.id)
    const missing = '00000000-0000-4000-8000-000000000001'
    const response = await call(rejectedCsvLoader as never, ctx, makeRequest(`/imports/${missing}/rejected.csv`, { cookie }), { runId: missing }).catch((error: unknown) => error)
    expect((response as Response).status).toBe(404)
  })
})

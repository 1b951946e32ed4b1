import { Readable } from 'node:stream'
import iconv from 'iconv-lite'
import { describe, expect, test } from 'vitest'
import { CrmCsvError, decodeCrmBytes, parseCrmCsv, type CrmCsvEvent, type ParseCrmCsvOptions } from '~/funnel/csv'

const chunks = (...parts: (string | Buffer)[]) => Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)))

async function decodeAll(source: Readable) {
  const report = { encoding: null, bomStripped: false }
  let text = ''
  for await (const part of decodeCrmBytes(source, report)) text += part
  return { text, report }
}

async function collect(source: Readable, options: Partial<ParseCrmCsvOptions> = {}): Promise<CrmCsvEvent[]> {
  const events: CrmCsvEvent[] = []
  for await (const event of parseCrmCsv(source, { timeZone: 'Europe/Rome', ...options })) events.push(event)
  return events
}

async function failure(source: Readable): Promise<CrmCsvError> {
  const events: CrmCsvEvent[] = []
  try {
    for await (const event of parseCrmCsv(source, { timeZone: 'Europe/Rome' })) events.push(event)
  } catch (error) {
    expect(events.filter((e) => e.type === 'batch')).toEqual([])
    if (error instanceof CrmCsvError) return error
    throw error
  }
  throw new Error('expected the file to be refused')
}

describe('decodeCrmBytes', () => {
  test('a multibyte character cut at the end of the 64 KB sniff window is still UTF-8', async () => {
    const euro = Buffer.from('€') // e2 82 ac
    const head = Buffer.concat([Buffer.from('é'), Buffer.alloc(64 * 1024 - 3, 'a'), euro.subarray(0, 1)])
    expect(head.length).toBe(64 * 1024)
    const { text, report } = await decodeAll(chunks(head, Buffer.concat([euro.subarray(1), Buffer.from('b')])))
    expect(report.encoding).toBe('utf-8')
    expect(text).toBe(`é${'a'.repeat(64 * 1024 - 3)}€b`)
  })

  test('a character split across any two chunks decodes whole', async () => {
    const bytes = Buffer.from('Società;Importo\nCaffè;1.234,56 €\n')
    for (let cut = 1; cut < bytes.length; cut++) {
      const { text } = await decodeAll(chunks(bytes.subarray(0, cut), bytes.subarray(cut)))
      expect(text).toBe('Società;Importo\nCaffè;1.234,56 €\n')
    }
  })

  test('Windows-1252 is detected even after 100 KB of ASCII', async () => {
    const ascii = 'x'.repeat(100 * 1024)
    const { text, report } = await decodeAll(chunks(ascii, Buffer.from([0x63, 0x61, 0x66, 0x66, 0xe8, 0x20, 0x80])))
    expect(report.encoding).toBe('windows-1252')
    expect(text).toBe(`${ascii}caffè €`)
  })

  test('UTF-8 that turns into another encoding later is refused rather than garbled', async () => {
    const utf8 = Buffer.concat([Buffer.from('é'), Buffer.alloc(70 * 1024, 'a')])
    await expect(decodeAll(chunks(utf8, Buffer.from([0xe8, 0x0a])))).rejects.toMatchObject({ code: 'invalid_encoding' })
  })

  test('…also when one read brings the UTF-8 start and the later cp1252 byte together (only the first 64 KB decide)', async () => {
    const oneChunk = Buffer.concat([Buffer.from('é'), Buffer.alloc(70 * 1024, 'a'), Buffer.from([0xe8, 0x0a])])
    await expect(decodeAll(chunks(oneChunk))).rejects.toMatchObject({ code: 'invalid_encoding' })
  })

  test('UTF-16 with a byte-order mark (Excel "Unicode text")', async () => {
    const { text, report } = await decodeAll(chunks(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('Deal - Title\tDeal - Value\nCafé\t12\n', 'utf16le')])))
    expect(report).toEqual({ encoding: 'utf-16le', bomStripped: true })
    expect(text).toBe('Deal - Title\tDeal - Value\nCafé\t12\n')
  })
})

describe('bad files', () => {
  test('an empty file', async () => {
    expect(await failure(chunks())).toMatchObject({ code: 'empty_file' })
    expect(await failure(chunks('\r\n  \n'))).toMatchObject({ code: 'empty_file' })
    expect(await failure(chunks(Buffer.from([0xef, 0xbb, 0xbf])))).toMatchObject({ code: 'empty_file' })
  })

  test('binary noise', async () => {
    let seed = 42
    const noise = Buffer.from(
      Buffer.alloc(4096).map(() => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed >>> 16
      }),
    )
    const error = await failure(chunks(noise))
    expect(error).toMatchObject({ code: 'binary_file' })
    expect(error.message).toBe('This file is not a text CSV (it looks like a spreadsheet, archive or image). Export the report as CSV and upload that.')
  })

  test('an xlsx (zip) uploaded instead of a CSV', async () => {
    expect(await failure(chunks(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])))).toMatchObject({ code: 'binary_file' })
  })

  test('random text', async () => {
    const error = await failure(chunks('Dear team,\nplease find attached the numbers for Q3.\nBest, Marco\n'))
    expect(error).toMatchObject({ code: 'unrecognised_format', line: 1 })
    expect(error.message).toMatch(/^This does not look like a CRM export we know \(its first row is "Dear team", ""\)/)
  })

  test('an unclosed quote', async () => {
    const error = await failure(chunks('external_id,owner,amount,status,created_at,closed_at\nX-1,Ann,"12,open,2026-01-01,\nX-2,Bob,5,open,2026-01-01,\n'))
    expect(error.code).toBe('malformed_csv')
  })
})

describe('parseCrmCsv streaming', () => {
  const HEADER = 'external_id,owner,amount,status,created_at,closed_at\n'

  test('a generated file comes out in batches, pulled lazily from the source', async () => {
    const total = 10_000
    let produced = 0
    async function* source() {
      yield Buffer.from(HEADER)
      for (let i = 1; i <= total; i++) {
        produced = i
        // Row 9 000 repeats the id of row 10 (line 11): passed on (the import rejects it in SQL), no id is kept.
        const id = i === 9000 ? 'X-10' : `X-${i}`
        yield Buffer.from(`${id},Owner ${i % 7},${i}.5,${i % 3 === 0 ? 'won' : 'open'},2026-01-02,${i % 3 === 0 ? '2026-02-03' : ''}\n`)
      }
    }
    const batchSizes: number[] = []
    let producedAtFirstBatch = -1
    let lastLine = 0
    const rejections = []
    for await (const event of parseCrmCsv(Readable.from(source()), { timeZone: 'UTC', batchSize: 1000 })) {
      if (event.type !== 'batch') continue
      if (producedAtFirstBatch < 0) producedAtFirstBatch = produced
      batchSizes.push(event.rows.length + event.rejections.length)
      for (const row of event.rows) {
        expect(row.line).toBeGreaterThan(lastLine)
        lastLine = row.line
      }
      rejections.push(...event.rejections)
    }
    expect(batchSizes).toEqual(Array(10).fill(1000))
    expect(producedAtFirstBatch).toBeLessThan(total / 2)
    expect(lastLine).toBe(total + 1)
    expect(rejections).toEqual([])
  })

  test('a header-only file is recognised and has no rows', async () => {
    const events = await collect(chunks(HEADER))
    expect(events.map((e) => e.type)).toEqual(['format', 'end'])
    expect(events[1]).toEqual({ type: 'end', rows: 0, rejected: 0, skipped: 0, lines: 1, encoding: 'utf-8' })
  })

  test('missing required fields: the format event says so and nothing else is yielded', async () => {
    const events = await collect(chunks('external_id,owner,amount,Opened\nX-1,Ann,10,2026-01-01\n'))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'format', ready: false, format: { missing: ['stage', 'createdAt', 'closedAt'], unmappedHeaders: ['Opened'] } })
  })

  test('…and parsing again with the user mapping imports the rows', async () => {
    const events = await collect(chunks('external_id,owner,amount,Opened,Result,Closed on\nX-1,Ann,10,2026-01-01,aperta,\n'), {
      mapping: { createdAt: 'Opened', status: 'Result', closedAt: 'Closed on' },
      kind: 'opportunities',
    })
    expect(events.map((e) => e.type)).toEqual(['format', 'batch', 'end'])
    expect(events[1]).toMatchObject({ rows: [{ externalId: 'X-1', status: 'open', amount: '10.00', createdAt: '2026-01-01T00:00:00+01:00' }] })
  })

  test('an unknown layout can be mapped by hand once the kind is chosen', async () => {
    const events = await collect(chunks('Ref;Rep;Opened;Became customer\nA1;Ann;01/02/2026;15/02/2026\n'), {
      kind: 'leads',
      mapping: { externalId: 'Ref', ownerKey: 'Rep', createdAt: 'Opened', convertedAt: 'Became customer' },
    })
    expect(events[0]).toMatchObject({ type: 'format', ready: true, format: { source: 'generic', kind: 'leads' } })
    expect(events[1]).toMatchObject({ rows: [{ externalId: 'A1', converted: true, createdAt: '2026-02-01T00:00:00+01:00', convertedAt: '2026-02-15T00:00:00+01:00' }] })
  })

  test('ambiguous dates follow the fallback, or the locale hint when given', async () => {
    const file = () => chunks(`${HEADER}X-1,Ann,10,open,01/02/2026,\n`)
    const [fallback, , ] = await collect(file())
    expect(fallback).toMatchObject({ locale: { dayOrder: 'MDY', decidedBy: { dayOrder: 'fallback' } } })
    expect((await collect(file()))[1]).toMatchObject({ rows: [{ createdAt: '2026-01-02T00:00:00+01:00' }] })
    expect((await collect(file(), { locale: 'it-IT' }))[1]).toMatchObject({ rows: [{ createdAt: '2026-02-01T00:00:00+01:00' }] })
  })

  test('stopping early releases the upload stream', async () => {
    const upload = Readable.from((function* () {
      yield Buffer.from(HEADER)
      for (let i = 0; i < 100_000; i++) yield Buffer.from(`X-${i},Ann,1,open,2026-01-01,\n`)
    })())
    for await (const event of parseCrmCsv(upload, { timeZone: 'UTC', batchSize: 10 })) {
      if (event.type === 'batch') break
    }
    // Teardown is asynchronous: the stream closes shortly after, or the test times out.
    await new Promise<void>((resolve) => (upload.closed ? resolve() : upload.once('close', () => resolve())))
    expect(upload.destroyed).toBe(true)
  })

  test('a converted lead without its converted date, and a conversion before creation', async () => {
    const events = await collect(
      chunks(
        '"Lead Owner","Created Date","Converted","Converted Date","Lead ID"\n' +
          '"Ann","1/5/2026","1","","00Q1"\n' +
          '"Ann","1/5/2026","1","1/4/2026","00Q2"\n' +
          '"","1/5/2026","0","","00Q3"\n' +
          '"Ann","1/5/2026","maybe","","00Q4"\n' +
          '"Ann","1/15/2026","0","","00Q5"\n',
      ),
    )
    expect(events[1]).toMatchObject({
      rows: [{ externalId: '00Q5', converted: false, createdAt: '2026-01-15T00:00:00+01:00' }],
      rejections: [
        {
          line: 2,
          column: 'Converted Date',
          reason: 'Column "Converted Date": is empty, but column "Converted" says the lead was converted; a converted lead needs its converted date',
        },
        {
          line: 3,
          column: 'Converted Date',
          reason: 'Column "Converted Date": "1/4/2026" is before the created date "1/5/2026" (column "Created Date"); a lead cannot convert before it was created',
        },
        { line: 4, column: 'Lead Owner', reason: 'Column "Lead Owner": is empty; every lead needs an owner (the CRM user name or email)' },
        { line: 5, column: 'Converted', reason: 'Column "Converted": "maybe" is not a checkbox value; expected 1/0, true/false, yes/no, sì/no or vero/falso' },
      ],
    })
  })

  test('Salesforce deals without an id column: ids derived from name/account/date (a repeat is the import’s to reject)', async () => {
    const events = await collect(
      chunks(
        '"Opportunity Owner","Opportunity Name","Account Name","Stage","Amount","Created Date","Close Date"\n' +
          '"Ann","Renewal","Acme","Prospecting","$100.00","1/15/2026","3/1/2026"\n' +
          '"Bob","Renewal","Acme","Prospecting","$200.00","1/15/2026","3/1/2026"\n' +
          '"Ann","Renewal","Acme","Closed Won","$100.00","1/16/2026","3/1/2026"\n' +
          '"Ann","Won, no close date","Acme","Closed Won","$100.00","1/16/2026",""\n',
      ),
    )
    expect(events[1]).toMatchObject({
      rows: [
        { line: 2, ownerKey: 'Ann', status: 'open', expectedCloseAt: '2026-03-01T00:00:00+01:00' },
        { line: 3, ownerKey: 'Bob' },
        { line: 4, status: 'won', closedAt: '2026-03-01T00:00:00+01:00' }, // another created date: another deal
      ],
      rejections: [
        { line: 5, column: 'Close Date', reason: 'Column "Close Date": is empty, but the deal is won; a won or lost deal needs its close date' },
      ],
    })
    const [first, second] = (events[1] as { rows: { externalId: string }[] }).rows
    expect(second.externalId).toBe(first.externalId)
  })

  test('an amount whose symbol contradicts the currency column is rejected', async () => {
    const events = await collect(chunks('external_id,owner,amount,currency,status,created_at,closed_at\nX-1,Ann,$10.00,EUR,open,2026-01-01,\nX-2,Ann,10,EURO,open,2026-01-01,\n'))
    expect(events[1]).toMatchObject({
      rejections: [
        { line: 2, column: 'amount', reason: 'Column "amount": "$10.00" is in USD but column "currency" says EUR' },
        { line: 3, column: 'currency', reason: 'Column "currency": "EURO" is not a currency code; expected an ISO code such as EUR, USD or GBP' },
      ],
    })
  })
})

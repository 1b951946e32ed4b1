import { describe, expect, test } from 'vitest'
import { CrmCsvError } from '~/funnel/csv'
import { csvRecords, type CsvRecord } from '~/funnel/csv/tokenize'

async function* parts(...texts: string[]) {
  for (const text of texts) yield text
}

async function tokenize(texts: string[], delimiter = ',', maxRecordChars?: number) {
  const lines = { count: 0 }
  const records: CsvRecord[] = []
  for await (const record of csvRecords(parts(...texts), delimiter, lines, maxRecordChars)) records.push(record)
  return { records, lines: lines.count }
}

async function refusal(texts: string[], maxRecordChars?: number): Promise<CrmCsvError> {
  try {
    await tokenize(texts, ',', maxRecordChars)
  } catch (error) {
    if (error instanceof CrmCsvError) return error
    throw error
  }
  throw new Error('expected the text to be refused')
}

// Quoted delimiters, doubled quotes, a quoted line break, an empty quoted cell, blank lines, a
// trailing delimiter and a last line without a line break.
const TEXT = 'id,name,note\n1,"Rossi, Giulia","said ""yes""\nthen left"\n\n2,Bianchi,""\n3,"a"b,c,\n\n4,x"y,z'
const EXPECTED: CsvRecord[] = [
  { cells: ['id', 'name', 'note'], line: 1 },
  { cells: ['1', 'Rossi, Giulia', 'said "yes"\nthen left'], line: 2 },
  { cells: ['2', 'Bianchi', ''], line: 5 },
  { cells: ['3', 'ab', 'c', ''], line: 6 },
  { cells: ['4', 'x"y', 'z'], line: 8 },
]

describe('csvRecords', () => {
  test('RFC 4180 quoting, read leniently, with the line each record starts on', async () => {
    expect(await tokenize([TEXT])).toEqual({ records: EXPECTED, lines: 8 })
  })

  test('the same records wherever the text is cut into chunks', async () => {
    for (let cut = 1; cut < TEXT.length; cut++) {
      expect(await tokenize([TEXT.slice(0, cut), TEXT.slice(cut)]), `cut at ${cut}`).toEqual({ records: EXPECTED, lines: 8 })
    }
    expect(await tokenize(TEXT.split(''))).toEqual({ records: EXPECTED, lines: 8 })
  })

  test('a final line break ends the last record without adding a line', async () => {
    expect(await tokenize(['a;b\n1;"2"\n'], ';')).toEqual({
      records: [
        { cells: ['a', 'b'], line: 1 },
        { cells: ['1', '2'], line: 2 },
      ],
      lines: 2,
    })
  })

  test('an unclosed quote is refused with the line its record starts on', async () => {
    const error = await refusal(['id,name\n1,ok\n2,"never closed\n3,x\n'])
    expect(error.code).toBe('malformed_csv')
    expect(error.line).toBe(3)
    expect(error.message).toBe(
      'The file is not valid CSV near line 3 (a quoted field is never closed). Check for an unclosed quote, or export the report again.',
    )
  })

  test('a record longer than the limit is refused before the file ends', async () => {
    const error = await refusal(['id,name\n1,"', 'x'.repeat(60), 'x'.repeat(60), '"\n'], 100)
    expect(error.code).toBe('malformed_csv')
    expect(error.line).toBe(2)
    expect(error.message).toBe(
      'The file is not valid CSV near line 2 (a record longer than 100 characters). Check for an unclosed quote, or export the report again.',
    )
  })
})

/**
 * One path for every figure derived from answers (docs/privacy.md): only the published layer reads
 * the `answers` and `responses` tables. The other modules that touch them do so for something that
 * is not a figure, and are listed here with the reason; a new reader fails this test until it goes
 * through app/responses/published.server.ts (or is added here with a reason a reviewer accepts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')

const ALLOWED: Record<string, string> = {
  'app/responses/published.server.ts': 'the published layer: every figure, from frozen rounds',
  'app/responses/freeze.server.ts': 'freezes a closed round into the published layer',
  'app/privacy/export.server.ts': 'a person’s own responses in their data export',
  'app/privacy/retention.server.ts': 'deletes old comments and detaches old responses',
  'app/replies/replies.server.ts': 'the respondent’s own comments on the private reply page, and which round a replied comment belongs to',
}

/** SQL that reads the tables, or the drizzle builder selecting from them. */
const READS = /\b(?:from|join)\s+(?:responses|answers)\b|\.from\((?:responses|answers)\)|[iI]nnerJoin\((?:responses|answers)\b|leftJoin\((?:responses|answers)\b/i

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx)$/.test(name) ? [path] : []
  })
}

describe('the one path for figures derived from answers', () => {
  it('no module outside the published layer reads answers or responses, but those listed with their reason', () => {
    const readers = files(join(ROOT, 'app'))
      .filter((path) => READS.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path))
      .sort()
    expect(readers).toEqual(Object.keys(ALLOWED).sort())
  })

  it('the pattern sees the forms a reader would take', () => {
    for (const text of ['select * from responses r', 'join answers a on', 'db.select().from(answers)', '.innerJoin(responses, eq(', 'FROM responses']) expect(READS.test(text), text).toBe(true)
    for (const text of ['insert into responses', 'update responses set', 'delete from comment_replies', 'tx.insert(responses)']) expect(READS.test(text), text).toBe(false)
  })
})

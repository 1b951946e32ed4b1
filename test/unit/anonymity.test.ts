import { describe, expect, it } from 'vitest'
import {
  DEFAULT_THRESHOLDS,
  isShown,
  shuffleComments,
  suppressGroups,
  thresholdsSchema,
  type GroupInput,
} from '~/responses/anonymity'
import { privacyStatement } from '~/responses/privacy'

/** The suppressed groups with their reasons, as a plain object for exact comparison. */
function hidden<Id extends string | number>(groups: GroupInput<Id>[], threshold: number) {
  return Object.fromEntries(
    suppressGroups(groups, threshold).flatMap((v) => (v.shown ? [] : [[String(v.id), v.reason]])),
  )
}

describe('thresholdsSchema', () => {
  const issues = (input: unknown) => {
    const result = thresholdsSchema.safeParse(input)
    return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  }

  it('accepts the defaults and the ends of the range', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ thresholdScores: 5, thresholdComments: 5 })
    expect(issues(DEFAULT_THRESHOLDS)).toEqual([])
    expect(issues({ thresholdScores: 3, thresholdComments: 10 })).toEqual([])
    expect(issues({ thresholdScores: 10, thresholdComments: 10 })).toEqual([])
  })

  it('names the field and the accepted range', () => {
    expect(issues({ thresholdScores: 2, thresholdComments: 5 })).toEqual([
      { path: 'thresholdScores', message: 'the scores threshold must be at least 3' },
    ])
    expect(issues({ thresholdScores: 5, thresholdComments: 11 })).toEqual([
      { path: 'thresholdComments', message: 'the comments threshold must be at most 10' },
    ])
    expect(issues({ thresholdScores: 4.5, thresholdComments: 5 })).toEqual([
      { path: 'thresholdScores', message: 'the scores threshold must be a whole number from 3 to 10' },
    ])
    expect(issues({ thresholdScores: 'five', thresholdComments: 5 })).toEqual([
      { path: 'thresholdScores', message: 'the scores threshold must be a number from 3 to 10' },
    ])
  })

  it('requires the comments threshold to be at least the scores threshold', () => {
    expect(issues({ thresholdScores: 6, thresholdComments: 5 })).toEqual([
      { path: 'thresholdComments', message: 'the comments threshold must be at least the scores threshold' },
    ])
  })
})

describe('privacyStatement', () => {
  it('names the round’s threshold, and the default threshold when there is none', () => {
    expect(privacyStatement('confidential', 'en').body).toBe(privacyStatement('confidential', 'en', DEFAULT_THRESHOLDS.thresholdScores).body)
    expect(privacyStatement('confidential', 'en').body).toContain(`groups of at least ${DEFAULT_THRESHOLDS.thresholdScores} people.`)
    expect(privacyStatement('anonymous', 'en', 7).body).toContain('shown only for groups of at least 7 people.')
    expect(privacyStatement('anonymous', 'it', 7).body).toContain('solo per gruppi di almeno 7 persone.')
    expect(privacyStatement('identified', 'en', 7).body).toBe('HR, leadership and your manager will see your name next to your answers.')
  })
})

describe('isShown', () => {
  it('shows a group with at least threshold respondents', () => {
    expect(isShown(5, 5)).toBe(true)
    expect(isShown(6, 5)).toBe(true)
    expect(isShown(4, 5)).toBe(false)
    expect(isShown(0, 3)).toBe(false)
  })
})

describe('suppressGroups', () => {
  it('suppresses groups below the threshold and shows the rest, in input order', () => {
    expect(
      suppressGroups(
        [
          { id: 'org', parentId: null, n: 20 },
          { id: 'a', parentId: 'org', n: 10 },
          { id: 'b', parentId: 'org', n: 4 },
          { id: 'c', parentId: 'org', n: 3 },
          { id: 'd', parentId: 'org', n: 3 },
        ],
        5,
      ),
    ).toEqual([
      { id: 'org', shown: true },
      { id: 'a', shown: true },
      { id: 'b', shown: false, reason: 'below_threshold' },
      { id: 'c', shown: false, reason: 'below_threshold' },
      { id: 'd', shown: false, reason: 'below_threshold' },
    ])
  })

  it('hides the next-smallest sibling when exactly one child of a shown parent is hidden', () => {
    // org − a − b would reveal c (3 people); hiding b (the smallest shown sibling, 7) prevents it.
    const groups = [
      { id: 'org', parentId: null, n: 20 },
      { id: 'a', parentId: 'org', n: 10 },
      { id: 'b', parentId: 'org', n: 7 },
      { id: 'c', parentId: 'org', n: 3 },
    ]
    expect(hidden(groups, 5)).toEqual({ b: 'sibling_protection', c: 'below_threshold' })
  })

  it('breaks ties between equally small siblings by id', () => {
    const groups = [
      { id: 'org', parentId: null, n: 15 },
      { id: 'team-c', parentId: 'org', n: 6 },
      { id: 'team-b', parentId: 'org', n: 6 },
      { id: 'team-a', parentId: 'org', n: 3 },
    ]
    expect(hidden(groups, 5)).toEqual({ 'team-a': 'below_threshold', 'team-b': 'sibling_protection' })
    // Numeric ids compare as numbers: 9 before 10.
    const numeric = [
      { id: 1, parentId: null, n: 15 },
      { id: 10, parentId: 1, n: 6 },
      { id: 9, parentId: 1, n: 6 },
      { id: 2, parentId: 1, n: 3 },
    ]
    expect(hidden(numeric, 5)).toEqual({ 2: 'below_threshold', 9: 'sibling_protection' })
  })

  it('does nothing more when two or more children are already hidden', () => {
    const groups = [
      { id: 'org', parentId: null, n: 20 },
      { id: 'a', parentId: 'org', n: 12 },
      { id: 'b', parentId: 'org', n: 4 },
      { id: 'c', parentId: 'org', n: 4 },
    ]
    expect(hidden(groups, 5)).toEqual({ b: 'below_threshold', c: 'below_threshold' })
  })

  it('does not count a child with no respondents as a second hidden sibling', () => {
    // c has nobody: org − a − b = d exactly, so d still needs a cover (b, the smallest shown).
    const groups = [
      { id: 'org', parentId: null, n: 17 },
      { id: 'a', parentId: 'org', n: 9 },
      { id: 'b', parentId: 'org', n: 6 },
      { id: 'c', parentId: 'org', n: 0 },
      { id: 'd', parentId: 'org', n: 2 },
    ]
    expect(hidden(groups, 5)).toEqual({ b: 'sibling_protection', c: 'below_threshold', d: 'below_threshold' })
    // ...and an empty child alone exposes nothing, so nothing else is hidden.
    expect(hidden([{ id: 'org', parentId: null, n: 12 }, { id: 'a', parentId: 'org', n: 12 }, { id: 'b', parentId: 'org', n: 0 }], 5))
      .toEqual({ b: 'below_threshold' })
  })

  it('does not protect an only child (the parent also holds its direct members) or top-level groups', () => {
    expect(hidden([{ id: 'p', parentId: null, n: 8 }, { id: 'c', parentId: 'p', n: 3 }], 5)).toEqual({ c: 'below_threshold' })
    // Without the organisation as a root, top-level teams are not siblings of anything.
    expect(hidden([{ id: 'a', parentId: null, n: 3 }, { id: 'b', parentId: null, n: 9 }], 5)).toEqual({ a: 'below_threshold' })
  })

  it('applies the rule at every level of nested teams', () => {
    //            org 40
    //        ┌──────┴───────┐
    //    sales 25       marketing 15
    //    ┌───┴────┐
    // north 12  south 13
    //  ┌──┴──┐      ┌──┴──┐
    // n1 8  n2 4  s1 7  s2 6
    // n2 < 5 under shown north → n1 covers it. south's children are both shown. The org and sales
    // levels have no hidden child.
    const groups = [
      { id: 'org', parentId: null, n: 40 },
      { id: 'sales', parentId: 'org', n: 25 },
      { id: 'marketing', parentId: 'org', n: 15 },
      { id: 'north', parentId: 'sales', n: 12 },
      { id: 'south', parentId: 'sales', n: 13 },
      { id: 'n1', parentId: 'north', n: 8 },
      { id: 'n2', parentId: 'north', n: 4 },
      { id: 's1', parentId: 'south', n: 7 },
      { id: 's2', parentId: 'south', n: 6 },
    ]
    expect(hidden(groups, 5)).toEqual({ n1: 'sibling_protection', n2: 'below_threshold' })
  })

  it('hides a child of a protecting group, so that the group cannot be re-added from its children', () => {
    //         org 30
    //   ┌──────┼───────┐
    //  a 4    b 10    c 16
    //        ┌──┴──┐
    //      b1 5   b2 5
    // a < 5 → b (smallest shown sibling) covers it. But b = b1 + b2, so org − c − b1 − b2 would
    // still reveal a: b1 (tie with b2, smaller id) is hidden as well. Its sibling b2 then stays
    // shown, because b itself is hidden and b − b2 cannot be computed.
    const groups = [
      { id: 'org', parentId: null, n: 30 },
      { id: 'a', parentId: 'org', n: 4 },
      { id: 'b', parentId: 'org', n: 10 },
      { id: 'c', parentId: 'org', n: 16 },
      { id: 'b1', parentId: 'b', n: 5 },
      { id: 'b2', parentId: 'b', n: 5 },
    ]
    expect(hidden(groups, 5)).toEqual({ a: 'below_threshold', b: 'sibling_protection', b1: 'sibling_protection' })
  })

  it('follows the cascade down several levels', () => {
    // a (2) is covered by b (16, smaller than c). b's children would add up to b, so its smaller
    // child is hidden as well: b2 (6), which has no children, so the cascade stops there.
    const groups = [
      { id: 'org', parentId: null, n: 40 },
      { id: 'a', parentId: 'org', n: 2 },
      { id: 'b', parentId: 'org', n: 16 },
      { id: 'c', parentId: 'org', n: 22 },
      { id: 'b1', parentId: 'b', n: 10 },
      { id: 'b2', parentId: 'b', n: 6 },
      { id: 'b1x', parentId: 'b1', n: 5 },
      { id: 'b1y', parentId: 'b1', n: 5 },
    ]
    expect(hidden(groups, 5)).toEqual({ a: 'below_threshold', b: 'sibling_protection', b2: 'sibling_protection' })
    // Make b1 (10) the smaller child of b (10 + 12 = 22; ties with c, 'b' < 'c'): b1 is hidden, and
    // its own children would add up to it, so b1x (tie with b1y, smaller id) is hidden too.
    const resized: Record<string, number> = { org: 46, b: 22, b2: 12 }
    const deeper = groups.map((g) => ({ ...g, n: resized[g.id] ?? g.n }))
    expect(hidden(deeper, 5)).toEqual({
      a: 'below_threshold',
      b: 'sibling_protection',
      b1: 'sibling_protection',
      b1x: 'sibling_protection',
    })
  })

  it('hides another sibling when two hidden siblings hold fewer than the threshold between them', () => {
    // Org 20 = A 9 + B 8 + C 1 + D 2: org − A − B = C + D = 3 people, so B (the smallest shown) goes too.
    const groups: GroupInput<string>[] = [
      { id: 'org', parentId: null, n: 20 },
      { id: 'A', parentId: 'org', n: 9 },
      { id: 'B', parentId: 'org', n: 8 },
      { id: 'C', parentId: 'org', n: 1 },
      { id: 'D', parentId: 'org', n: 2 },
    ]
    expect(hidden(groups, 5)).toEqual({ B: 'sibling_protection', C: 'below_threshold', D: 'below_threshold' })
  })

  it('protects a parent’s direct members and the people without a team: the part no sub-group covers', () => {
    // Sales 12 = North 5 + South 5 + 2 people directly in Sales: Sales − North − South = 2.
    expect(hidden([{ id: 'org', parentId: null, n: 12 }, { id: 'sales', parentId: 'org', n: 12 }, { id: 'north', parentId: 'sales', n: 5 }, { id: 'south', parentId: 'sales', n: 5 }], 5)).toEqual({ north: 'sibling_protection' })
    // Org 14 = Alpha 6 + Beta 6 + 2 people without a team.
    expect(hidden([{ id: 'org', parentId: null, n: 14 }, { id: 'alpha', parentId: 'org', n: 6 }, { id: 'beta', parentId: 'org', n: 6 }], 5)).toEqual({ alpha: 'sibling_protection' })
  })

  it('protects across a hidden level: the organisation minus a grandchild', () => {
    // The case the privacy auditor found: org 5 = Sales 4 (hidden) + 1 without a team; Sales 4 = North 3 + South 1.
    // Showing org and North gives org − North = 2 people; North must go too.
    const groups: GroupInput<string>[] = [
      { id: 'org', parentId: null, n: 5 },
      { id: 'sales', parentId: 'org', n: 4 },
      { id: 'north', parentId: 'sales', n: 3 },
      { id: 'south', parentId: 'sales', n: 1 },
    ]
    expect(hidden(groups, 3)).toEqual({ north: 'sibling_protection', sales: 'sibling_protection', south: 'below_threshold' })
  })

  it('does not depend on the order of the input', () => {
    const groups = [
      { id: 'org', parentId: null, n: 30 },
      { id: 'a', parentId: 'org', n: 4 },
      { id: 'b', parentId: 'org', n: 10 },
      { id: 'c', parentId: 'org', n: 16 },
      { id: 'b1', parentId: 'b', n: 5 },
      { id: 'b2', parentId: 'b', n: 5 },
    ]
    expect(hidden([...groups].reverse(), 5)).toEqual(hidden(groups, 5))
  })

  it('refuses duplicate ids and cycles', () => {
    expect(() => suppressGroups([{ id: 'a', parentId: null, n: 5 }, { id: 'a', parentId: null, n: 6 }], 5)).toThrow(/duplicate/)
    expect(() => suppressGroups([{ id: 'a', parentId: 'b', n: 5 }, { id: 'b', parentId: 'a', n: 6 }], 5)).toThrow(/cycle/)
  })
})

describe('shuffleComments', () => {
  const comments = [
    { text: 'alpha', submittedAt: '2026-01-05T09:00:00Z' },
    { text: 'bravo', submittedAt: '2026-01-05T09:01:00Z' },
    { text: 'charlie', submittedAt: '2026-01-05T09:02:00Z' },
    { text: 'delta', submittedAt: '2026-01-05T09:03:00Z' },
    { text: 'echo', submittedAt: '2026-01-05T09:04:00Z' },
    { text: 'foxtrot', submittedAt: '2026-01-05T09:05:00Z' },
  ]

  it('returns only the texts, in a fixed order for a given seed', () => {
    const shuffled = shuffleComments(comments, 'round-42')
    expect(shuffled).toEqual(SHUFFLED_ROUND_42)
    expect(shuffleComments(comments, 'round-42')).toEqual(shuffled)
    expect([...shuffled].sort()).toEqual(comments.map((c) => c.text))
  })

  it('does not carry the order it was given (e.g. submission order)', () => {
    expect(shuffleComments([...comments].reverse(), 'round-42')).toEqual(SHUFFLED_ROUND_42)
  })

  it('orders differently for another round', () => {
    expect(shuffleComments(comments, 'round-43')).not.toEqual(SHUFFLED_ROUND_42)
  })

  it('handles no comments and one comment', () => {
    expect(shuffleComments([], 'r')).toEqual([])
    expect(shuffleComments([{ text: 'only' }], 'r')).toEqual(['only'])
  })
})

// FNV-1a('round-42') → mulberry32 → Fisher–Yates over the texts sorted alphabetically.
// Checked against an independent Python transcription of the same three steps.
const SHUFFLED_ROUND_42 = ['delta', 'alpha', 'foxtrot', 'bravo', 'charlie', 'echo']

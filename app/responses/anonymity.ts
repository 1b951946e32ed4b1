/**
 * The anonymity rules of the privacy model (docs/privacy.md): thresholds, which groups may be shown,
 * protection of sibling groups against subtraction, and how comments are presented.
 *
 * Every screen, export and API endpoint decides visibility through these functions, with the
 * thresholds frozen into the round at launch.
 */
import { z } from 'zod'

export const THRESHOLD_MIN = 3
export const THRESHOLD_MAX = 10

export type Thresholds = { thresholdScores: number; thresholdComments: number }

/** Market defaults (Culture Amp, Lattice, Officevibe all default to 5). */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { thresholdScores: 5, thresholdComments: 5 }

/** What a threshold field answers when it is not a number, not whole, below or above the range. */
export type ThresholdMessages = { notNumber: string; notWhole: string; tooLow: string; tooHigh: string }

const apiMessages = (what: string): ThresholdMessages => ({
  notNumber: `the ${what} threshold must be a number from ${THRESHOLD_MIN} to ${THRESHOLD_MAX}`,
  notWhole: `the ${what} threshold must be a whole number from ${THRESHOLD_MIN} to ${THRESHOLD_MAX}`,
  tooLow: `the ${what} threshold must be at least ${THRESHOLD_MIN}`,
  tooHigh: `the ${what} threshold must be at most ${THRESHOLD_MAX}`,
})

/**
 * The rule of one threshold: a whole number from THRESHOLD_MIN to THRESHOLD_MAX. `input: 'form'`
 * reads it from a form field's text; the messages are the caller's (a form passes its translations).
 */
export function thresholdField(messages: ThresholdMessages, input: 'number' | 'form' = 'number') {
  const number = input === 'form' ? z.coerce.number({ error: messages.notNumber }) : z.number({ error: messages.notNumber })
  return number.int({ error: messages.notWhole }).min(THRESHOLD_MIN, { error: messages.tooLow }).max(THRESHOLD_MAX, { error: messages.tooHigh })
}

/** Comments need at least as many respondents as scores: a comment identifies its author more easily than a number. */
export function commentsCoverScores(t: Thresholds): boolean {
  return t.thresholdComments >= t.thresholdScores
}

/** Thresholds as settings store them (same names as the settings columns). */
export const thresholdsSchema = z
  .object({ thresholdScores: thresholdField(apiMessages('scores')), thresholdComments: thresholdField(apiMessages('comments')) })
  .refine(commentsCoverScores, {
    path: ['thresholdComments'],
    error: 'the comments threshold must be at least the scores threshold',
  })

/** A group is shown when it has at least `threshold` distinct respondents. */
export function isShown(respondents: number, threshold: number): boolean {
  return respondents >= threshold
}

export type SuppressionReason = 'below_threshold' | 'sibling_protection'

export type GroupInput<Id extends string | number> = {
  id: Id
  /** The group this one rolls up into; null (or an id not in the list) for a top-level group. */
  parentId: Id | null
  /** Distinct respondents, counting those of sub-groups (a parent's n includes its children's). */
  n: number
}

export type GroupVisibility<Id extends string | number> =
  | { id: Id; shown: true }
  | { id: Id; shown: false; reason: SuppressionReason }

function compareIds<Id extends string | number>(a: Id, b: Id): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const sa = String(a)
  const sb = String(b)
  return sa < sb ? -1 : sa > sb ? 1 : 0
}

/** Depth of each group below its top-level ancestor; parents are decided before their children. */
function depths<Id extends string | number>(groups: readonly GroupInput<Id>[], byId: Map<Id, GroupInput<Id>>) {
  const depth = new Map<Id, number>()
  const depthOf = (group: GroupInput<Id>, seen: Set<Id>): number => {
    const known = depth.get(group.id)
    if (known !== undefined) return known
    if (seen.has(group.id)) throw new RangeError(`groups form a cycle through ${String(group.id)}`)
    seen.add(group.id)
    const parent = group.parentId === null ? undefined : byId.get(group.parentId)
    const d = parent ? depthOf(parent, seen) + 1 : 0
    depth.set(group.id, d)
    return d
  }
  for (const group of groups) depthOf(group, new Set())
  return depth
}

/**
 * Decides, for each group of a hierarchy (organisation → teams → sub-teams: a laminar family, each
 * group's n counting its sub-groups' respondents and its own direct members), whether it is shown.
 *
 * Whoever reads every shown group can combine them, but within a tree of groups that can only ever
 * isolate a *region*: a shown group minus its largest shown sub-groups (the maximal shown groups
 * below it). Every vector in the span of the shown groups' member sets is constant on each region
 * (docs/privacy.md, "Why no combination isolates anyone"). So the rule is:
 *
 * 1. A group with fewer respondents than the threshold is suppressed (`below_threshold`).
 * 2. Every shown group's region must hold 0 or at least `threshold` respondents. While one does
 *    not, the smallest of that group's maximal shown sub-groups is suppressed too
 *    (`sibling_protection`; ties broken by id, so that the same data always hides the same team),
 *    which merges that sub-group's region into it. This covers the classic cases: one hidden
 *    sibling (parent − the others), two hidden siblings of 1 and 2, the direct members of a parent
 *    (parent − its sub-teams), the people without a team (organisation − the teams), and a
 *    grandparent minus a grandchild across a hidden level.
 *
 * Each step hides one more group and a group with no shown sub-group has its whole n (≥ the
 * threshold) as its region, so the loop ends. Top-level groups have no parent here; to protect
 * teams against subtraction from the organisation's total, pass the organisation as the root.
 */
export function suppressGroups<Id extends string | number>(
  groups: readonly GroupInput<Id>[],
  threshold: number,
  /** Groups hidden whatever their n (a related measure hid them), protected like the others. */
  forced: ReadonlySet<Id> = new Set(),
): GroupVisibility<Id>[] {
  const byId = new Map<Id, GroupInput<Id>>()
  for (const group of groups) {
    if (byId.has(group.id)) throw new RangeError(`duplicate group id ${String(group.id)}`)
    byId.set(group.id, group)
  }
  const reasons = new Map<Id, SuppressionReason>()
  for (const group of groups) {
    if (!isShown(group.n, threshold)) reasons.set(group.id, 'below_threshold')
    else if (forced.has(group.id)) reasons.set(group.id, 'sibling_protection')
  }
  const childrenOf = new Map<Id, GroupInput<Id>[]>()
  for (const group of groups) {
    if (group.parentId === null || !byId.has(group.parentId)) continue
    childrenOf.set(group.parentId, [...(childrenOf.get(group.parentId) ?? []), group])
  }
  const depth = depths(groups, byId)
  const topDown = [...groups].sort((a, b) => depth.get(a.id)! - depth.get(b.id)! || compareIds(a.id, b.id))

  /** The shown groups below `id` with no shown group between them and it. */
  const maximalShownBelow = (id: Id): GroupInput<Id>[] => {
    const out: GroupInput<Id>[] = []
    const walk = (parent: Id) => {
      for (const child of childrenOf.get(parent) ?? []) {
        if (reasons.has(child.id)) walk(child.id)
        else out.push(child)
      }
    }
    walk(id)
    return out
  }

  let changed = true
  while (changed) {
    changed = false
    for (const group of topDown) {
      if (reasons.has(group.id)) continue
      const below = maximalShownBelow(group.id)
      const region = group.n - below.reduce((sum, g) => sum + g.n, 0)
      if (region <= 0 || region >= threshold) continue
      const cover = [...below].sort((a, b) => a.n - b.n || compareIds(a.id, b.id))[0]
      if (!cover) continue
      reasons.set(cover.id, 'sibling_protection')
      changed = true
      break
    }
  }

  return groups.map(({ id }) => {
    const reason = reasons.get(id)
    return reason ? { id, shown: false, reason } : { id, shown: true }
  })
}

/** 32-bit FNV-1a hash of a string: turns a round id into a shuffle seed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** mulberry32 (Tommy Ettinger): a small, well-distributed 32-bit PRNG returning [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Comments in a shuffled order, as text only (docs/privacy.md: no timestamps, no order that hints at
 * who wrote what). The texts are first sorted canonically, so the output depends only on the set
 * of comments and the seed, never on the order the caller fetched them in (often submission
 * order); then a Fisher–Yates shuffle driven by mulberry32 seeded with the hash of `seed`
 * (e.g. the round id) gives the same order on every page load of that round.
 */
export function shuffleComments(comments: readonly { text: string }[], seed: string): string[] {
  const texts = comments.map((c) => c.text).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const random = mulberry32(fnv1a(seed))
  for (let i = texts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[texts[i], texts[j]] = [texts[j], texts[i]]
  }
  return texts
}

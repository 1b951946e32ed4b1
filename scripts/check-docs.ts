/**
 * `npm run check:docs`: the design lives in docs/, and what points there must resolve.
 *
 * Over every text file of the repository (tracked or new, as git lists them):
 * - a `docs/…` path (in a comment, a string, a README) names a file or folder that exists, and its
 *   `#anchor`, if any, a heading of that Markdown file;
 * - a relative Markdown link (`[text](decisions/0001-x.md#part)`) resolves the same way;
 * - nothing refers to the old single design document (the upper-case word D·E·S·I·G·N, as in
 *   its file name and "§" references) or to a `shared/` folder outside the repository.
 * Prints each problem as file:line and exits 1 when there is any.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, normalize, relative } from 'node:path'

const SELF = 'scripts/check-docs.ts'
const TEXT = new Set(['.ts', '.tsx', '.js', '.mjs', '.cjs', '.sql', '.md', '.css', '.json', '.yml', '.yaml', '.txt', '.webmanifest', '.example', ''])
const SKIP = [/^package-lock\.json$/, /^test\/fixtures\//, /^test\/bench\/results\//, /^db\/migrations\/meta\//]

const OLD_DOCUMENT = new RegExp(`\\b${['D', 'E', 'S', 'I', 'G', 'N'].join('')}\\b`)
const SHARED_FOLDER = /(?<![\w.@/-])(?:\.\.\/)*shared\//
const DOCS_PATH = /(?<![\w.@/-])docs\/[\w./-]*[\w-](?:#[\w-]+)?/g
const MD_LINK = /\[[^\]]*\]\(([^)\s]+)\)/g

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

const anchorCache = new Map<string, Set<string>>()

function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file)
  if (anchors) return anchors
  anchors = new Set()
  const seen = new Map<string, number>()
  let fenced = false
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!heading) continue
    const base = slug(heading[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n ? `${base}-${n}` : base)
  }
  anchorCache.set(file, anchors)
  return anchors
}

/** A problem with `target` (a repository path, maybe with #anchor), or null when it resolves. */
function unresolved(target: string): string | null {
  const [path, anchor] = target.split('#') as [string, string | undefined]
  if (!existsSync(path)) return `${path} does not exist`
  if (anchor === undefined) return null
  if (!path.endsWith('.md') || statSync(path).isDirectory()) return null
  return anchorsOf(path).has(anchor) ? null : `${path} has no heading for #${anchor}`
}

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && f !== SELF && existsSync(f) && TEXT.has(extname(f)) && !SKIP.some((s) => s.test(f)))

const problems: string[] = []
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n')
  lines.forEach((line, index) => {
    const at = `${file}:${index + 1}`
    if (OLD_DOCUMENT.test(line)) problems.push(`${at}: refers to the old design document; point to docs/architecture.md, docs/decisions/ or docs/privacy.md`)
    if (SHARED_FOLDER.test(line)) problems.push(`${at}: refers to a shared/ folder, which a clone of the repository does not have`)
    for (const [mention] of line.matchAll(DOCS_PATH)) {
      const problem = unresolved(mention)
      if (problem) problems.push(`${at}: ${mention}: ${problem}`)
    }
    if (!file.endsWith('.md')) return
    for (const [, link] of line.matchAll(MD_LINK)) {
      if (/^[a-z][a-z+.-]*:/i.test(link)) continue
      const target = link.startsWith('#') ? `${file}${link}` : normalize(join(dirname(file), link))
      if (relative('.', target).startsWith('..')) {
        problems.push(`${at}: ${link}: points outside the repository`)
        continue
      }
      const problem = unresolved(target)
      if (problem) problems.push(`${at}: ${link}: ${problem}`)
    }
  })
}

if (problems.length) {
  console.error(`${problems.length} documentation reference(s) do not resolve:\n${problems.map((p) => `  ${p}`).join('\n')}`)
  process.exit(1)
}
console.log(`Documentation references resolve (${files.length} files checked).`)

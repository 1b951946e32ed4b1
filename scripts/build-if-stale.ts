import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

// Sources whose change makes the build stale.
const sources = ['app', 'emails', 'public', 'vite.config.ts', 'package.json', 'package-lock.json']
const output = 'build/server/index.js'

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs)
}

/** Builds the app when the build is missing or older than its sources; exits on a failed build. */
export function buildIfStale() {
  const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0
  if (builtAt >= Math.max(...sources.map(newestMtime))) return
  console.log(builtAt ? '[pulseboard] sources changed since the last build: rebuilding…' : '[pulseboard] no build yet: building…')
  const result = spawnSync('npx', ['remix', 'vite:build'], { stdio: 'inherit' })
  if (result.status !== 0) {
    console.error('[pulseboard] the build failed; see the errors above.')
    process.exit(result.status ?? 1)
  }
}

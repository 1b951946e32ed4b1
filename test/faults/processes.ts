import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { openDatabase } from '#db/client'
import { migrateDatabase } from '#db/migrate'
import type { AppContext } from '~/context'
import { closeAppContext, createAppContext } from '~/context.server'
import { parseEnv } from '~/env.server'
import { createLogger } from '~/logger.server'
import { withDatabase } from '#test/support/global-setup'

/** The shared PostgreSQL the suite makes its databases on (never restarted by a test). */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export const SESSION_SECRET = 'faults-session-secret-0123456789abcdef0123456789'
const NOTES_KEY = 'cd'.repeat(32)

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls until `check` returns a value (not undefined/false), or fails with `what` after the timeout. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`)
    await sleep(everyMs)
  }
}

/** A fresh, migrated database (with pg-boss's schema) on a PostgreSQL server; dropped by `drop`. */
export async function createDatabase(serverUrl = SERVER_URL) {
  const name = `pulseboard_faults_${randomBytes(5).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = withDatabase(serverUrl, name)
  const database = await openDatabase({ url, max: 2 })
  await migrateDatabase(database)
  await database.close()
  return {
    url,
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {})
      await admin.end()
    },
  }
}

/**
 * The test's own view of the database: an AppContext that neither works jobs nor schedules, to
 * prepare data, queue jobs and read outcomes while the real processes do the work.
 */
export async function controlContext(url: string, smtpUrl?: string): Promise<AppContext> {
  const env = parseEnv({ NODE_ENV: 'test', SESSION_SECRET, NOTES_ENCRYPTION_KEY: NOTES_KEY, APP_URL: 'http://pulseboard.test', SMTP_URL: smtpUrl })
  const database = await openDatabase({ url, max: 5 })
  return createAppContext(env, database, { logger: createLogger('silent'), schedule: false, supervise: false })
}

export { closeAppContext }

export type AppProcess = {
  kind: 'server' | 'worker'
  url: string
  pid: number
  output: () => string
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>
  signal: (signal: NodeJS.Signals) => void
  /** SIGTERM, then waits for the exit. */
  stop: () => Promise<number | string>
}

/**
 * Starts `scripts/server.ts` (on the production build) or `scripts/worker.ts` as a real child
 * process on the given PostgreSQL database; resolves when the server answers /readyz or the
 * worker has logged that it started.
 */
export async function startProcess(kind: 'server' | 'worker', options: { databaseUrl: string; smtpUrl?: string; env?: Record<string, string> }): Promise<AppProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const dataDir = mkdtempSync(join(tmpdir(), 'pulseboard-faults-'))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_URL: url,
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl,
    SESSION_SECRET,
    NOTES_ENCRYPTION_KEY: NOTES_KEY,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', `scripts/${kind}.ts`], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      rmSync(dataDir, { recursive: true, force: true })
      resolve(code ?? signal ?? 'unknown')
    }),
  )
  const ready =
    kind === 'server'
      ? // A page too: the app's build is imported on the first page request, then stays loaded.
        async () => (await fetch(`${url}/readyz`)).ok && (await fetch(`${url}/login`)).ok
      : () => output.includes('"msg":"worker started"')
  try {
    await waitUntil(`the ${kind} to start`, async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`)
      return ready()
    }, 150_000, 200)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${(error as Error).message}\n${output}`)
  }
  return {
    kind,
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    signal: (signal) => void child.kill(signal),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}

/** The binaries of the newest PostgreSQL installed by Debian's packages (initdb, pg_ctl). */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(root, versions[0], 'bin') : null
}

/**
 * A PostgreSQL cluster of the test's own (initdb as the `postgres` user, trust auth, its own port
 * and socket directory), so the test can stop and start it without touching the shared server.
 */
export async function startPrivateCluster() {
  const bin = postgresBinDir()
  if (!bin) throw new Error('No PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql).')
  const dir = mkdtempSync(join(tmpdir(), 'pulseboard-cluster-'))
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  const port = await freePort()
  const asRoot = process.getuid?.() === 0
  const uid = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : process.getuid!()
  const gid = asRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : process.getgid!()
  chownSync(dir, uid, gid)
  chmodSync(dir, 0o700)
  // initdb and the server refuse to run as root: run them as the postgres user.
  const run = (args: string[]) => {
    const command = [join(bin, args[0]), ...args.slice(1)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
    return asRoot ? execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'pipe' }) : execFileSync('sh', ['-c', command], { stdio: 'pipe' })
  }
  run(['initdb', '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  const start = () => run(['pg_ctl', '-D', data, '-o', `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', log, '-w', 'start'])
  const stop = () => run(['pg_ctl', '-D', data, '-m', 'fast', '-w', 'stop'])
  start()
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    url,
    port,
    start,
    stop,
    async destroy() {
      try {
        stop()
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Emails in the sink per recipient: how many of them got more than one (and how many extra). */
export function duplicatesByRecipient(messages: { to: string[] }[], recipients: string[]) {
  const counts = new Map(recipients.map((r) => [r.toLowerCase(), 0]))
  for (const m of messages) for (const to of m.to) if (counts.has(to.toLowerCase())) counts.set(to.toLowerCase(), counts.get(to.toLowerCase())! + 1)
  const missing = [...counts].filter(([, n]) => n === 0).map(([r]) => r)
  const extra = [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0)
  return { counts, missing, extra }
}

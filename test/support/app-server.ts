import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { type Db, openDatabase } from '#db/client'
import { migrateDatabase } from '#db/migrate'
import type { Env } from '~/env.server'
import { startSession } from '~/auth/session.server'
import { withDatabase } from './global-setup'

/** The session secret the test server runs with, so a test can mint its cookies before it starts. */
export const TEST_SERVER_SESSION_SECRET = 'e2e-session-secret-0123456789abcdef0123456789'

/** A session cookie for the server started by startAppServer (a real session row in its database). */
export async function serverSessionCookie(db: Db, personId: string): Promise<string> {
  const setCookie = await startSession(db, { SESSION_SECRET: TEST_SERVER_SESSION_SECRET, NODE_ENV: 'test' } as Env, new Request('http://127.0.0.1/'), personId)
  return setCookie.split(';')[0]
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts the real server (`scripts/server.ts` on the production build) in a child process, on its
 * own database: a fresh PGlite directory, or a fresh PostgreSQL database when TEST_DATABASE_URL is set.
 */
export async function startAppServer(options: { smtpUrl?: string; env?: Record<string, string>; seedDemo?: boolean; prepare?: (db: Db) => Promise<void> } = {}) {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'pulseboard-e2e-'))
  let databaseUrl: string | undefined
  let dropDatabase = async () => {}
  if (process.env.TEST_DATABASE_URL) {
    const name = `pulseboard_e2e_${randomBytes(5).toString('hex')}`
    const admin = postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    databaseUrl = withDatabase(process.env.TEST_DATABASE_URL, name)
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  }
  const url = `http://127.0.0.1:${port}`
  if (options.prepare) {
    // Data the test needs before the server starts (the database is the server's alone afterwards).
    const database = databaseUrl ? await openDatabase({ url: databaseUrl, max: 1 }) : await openDatabase({ dataDir: join(dataDir, 'pglite') })
    await migrateDatabase(database)
    await options.prepare(database.db)
    await database.close()
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_URL: url,
    DATA_DIR: dataDir,
    PGLITE_DIR: join(dataDir, 'pglite'),
    SESSION_SECRET: TEST_SERVER_SESSION_SECRET,
    NOTES_ENCRYPTION_KEY: 'ab'.repeat(32),
    SEED_DEMO: options.seedDemo ? 'true' : 'false',
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/server.ts'], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app server exited with ${child.exitCode}:\n${output}`)
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The app server did not become ready:\n${output}`)
    await new Promise((r) => setTimeout(r, 250))
  }
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))
      await dropDatabase()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

import { PGlite } from '@electric-sql/pglite'
import { type SQL, sql } from 'drizzle-orm'
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { AsyncLocalStorage } from 'node:async_hooks'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import postgres from 'postgres'
import * as schema from './schema'

export type Schema = typeof schema
/** The drizzle handle every domain function takes first; the same API on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>
/** The handle db.transaction's callback gets: the same query API as Db, inside the open transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** What a function that may run inside its caller's transaction takes: the database or that transaction. */
export type DbOrTx = Db | Tx

export type Database = {
  db: Db
  engine: 'pglite' | 'postgres'
  /** Raw SQL for pg-boss and for the few statements drizzle cannot express. */
  executeSql: (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>
  pglite?: PGlite
  sql?: postgres.Sql
  url?: string
  close: () => Promise<void>
}

export type OpenOptions =
  | { url: string; max?: number }
  | { dataDir?: string; loadDataDir?: Blob | File }

/** PGlite when no URL is given (a directory, or memory when dataDir is omitted), postgres.js otherwise. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if ('url' in options) {
    const sql = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      // numeric stays a string (exact money); bigint counts are cast to int in SQL.
      connection: { application_name: 'pulseboard' },
    })
    const db: Db = drizzlePostgres(sql, { schema, casing: 'snake_case' })
    return {
      db,
      engine: 'postgres',
      sql,
      url: options.url,
      executeSql: async (text, values) => {
        const rows = await sql.unsafe(text, (values ?? []).map((v) => (v === undefined ? null : v)) as postgres.ParameterOrJSON<never>[])
        return { rows: [...rows] as Record<string, unknown>[] }
      },
      close: () => sql.end({ timeout: 5 }),
    }
  }
  const releaseLock = options.dataDir ? lockDataDir(options.dataDir) : () => {}
  const pglite = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir })
  await pglite.waitReady
  const db: Db = drizzlePglite(pglite, { schema, casing: 'snake_case' })
  let closed = false
  return {
    db,
    engine: 'pglite',
    pglite,
    executeSql: async (text, values) => {
      if (values && values.length) {
        const result = await pglite.query<Record<string, unknown>>(text, values.map((v) => (v === undefined ? null : v)))
        return { rows: result.rows }
      }
      // Multi-statement batches (pg-boss's schema scripts) need the simple protocol.
      const results = await pglite.exec(text)
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] }
    },
    close: async () => {
      if (closed) return
      closed = true
      await pglite.close()
      releaseLock()
    },
  }
}

/** Rows of a raw query on either engine (postgres.js returns an array, PGlite an object with rows). */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}

/**
 * Runs an analytics query (the KPI engine, results and metrics aggregates) in a transaction of its
 * own with PostgreSQL's JIT off and 64 MB of work memory. The planner over-estimates the recursive
 * team tree, which pushes these queries past jit_above_cost: JIT compilation then takes ~30 s for a
 * query that runs in ~50 ms (measured on PostgreSQL 15). With the default 4 MB their sorts and
 * hash aggregates over a year of answers or deals spill to disk (external merge, measured on the
 * bench data set). PGlite has no JIT; the settings are harmless there.
 */
export async function analyticsRows<T>(db: Db, query: SQL): Promise<T[]> {
  const run = () =>
    db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`)
      await tx.execute(sql`set local work_mem = '64MB'`)
      return queryRows<T>(tx, query)
    })
  const memo = sharedQueries.getStore()
  if (!memo) return run()
  const { sql: text, params } = dialect.sqlToQuery(query)
  const key = `${text}\u0000${JSON.stringify(params)}`
  let rows = memo.get(key) as Promise<T[]> | undefined
  if (!rows) {
    rows = run()
    memo.set(key, rows)
  }
  return rows
}

const sharedQueries = new AsyncLocalStorage<Map<string, Promise<unknown>>>()
const dialect = new PgDialect()

/**
 * Runs `work` with its identical analytics queries (same SQL, same parameters) run once and their
 * rows shared: the home dashboard asks the same aggregates for a dozen panels. For the read-only
 * work of one request only (the rows are shared, so callers must not mutate them).
 */
export function withSharedQueries<T>(work: () => Promise<T>): Promise<T> {
  return sharedQueries.run(new Map(), work)
}

/**
 * PGlite is single-process: a second process opening the same directory would corrupt it. A pid
 * file refuses that with a clear message (a stale file from a crashed process is taken over).
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const lock = `${dataDir.replace(/\/$/, '')}.lock`
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'))
    let alive = false
    try {
      if (pid && pid !== process.pid) {
        process.kill(pid, 0)
        alive = true
      }
    } catch {
      alive = false
    }
    if (alive) {
      throw new Error(
        `Another Pulseboard process (pid ${pid}) is using the embedded database in ${dataDir}. Stop it first (PGlite serves one process), or set DATABASE_URL to run several processes on PostgreSQL.`,
      )
    }
  }
  writeFileSync(lock, String(process.pid))
  return () => rmSync(lock, { force: true })
}

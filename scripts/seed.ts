import { sql } from 'drizzle-orm'
import { parseArgs } from 'node:util'
import { printSignInHelp, seedDemo } from '#db/seed/demo'
import { closeAppContext, createAppContext } from '~/context.server'
import { openAppDatabase } from '~/db.server'
import { loadEnvOrExit } from './boot'

// `npm run db:seed` seeds the demo organisation into an empty database; `-- --reset` wipes every
// table of the app first (never the migrations) and seeds again.
const { values } = parseArgs({ options: { reset: { type: 'boolean', default: false } } })
const env = loadEnvOrExit()
const database = await openAppDatabase(env)
const ctx = await createAppContext(env, database, { schedule: false, supervise: false })
try {
  const { rows } = await database.executeSql("select count(*)::int as n from people", [])
  if (Number(rows[0].n) > 0 && !values.reset) {
    console.error('The database already has people. Run `npm run db:seed -- --reset` to wipe it and seed the demo organisation again.')
    process.exitCode = 1
  } else {
    if (values.reset) {
      const { rows: tables } = await database.executeSql("select tablename from pg_tables where schemaname = 'public'", [])
      const names = tables.map((t) => `"${String(t.tablename)}"`).join(', ')
      if (names) await ctx.db.execute(sql.raw(`truncate ${names} restart identity cascade`))
      console.log('Wiped the existing data.')
    }
    await seedDemo(ctx.db)
    printSignInHelp(ctx)
  }
} finally {
  await closeAppContext(ctx)
}

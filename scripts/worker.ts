import { closeAppContext, createAppContext } from '~/context.server'
import { openAppDatabase } from '~/db.server'
import { loadEnvOrExit, onShutdown } from './boot'

// A worker alone: any number can run against one PostgreSQL; pg-boss hands each job to one of them.
const env = loadEnvOrExit()
const database = await openAppDatabase(env)
const ctx = await createAppContext(env, database)
await ctx.jobs.work(ctx)
ctx.logger.info({ database: database.engine }, 'worker started')
onShutdown(() => closeAppContext(ctx))

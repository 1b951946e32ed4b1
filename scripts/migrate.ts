import { openAppDatabase } from '~/db.server'
import { loadEnvOrExit } from './boot'

const env = loadEnvOrExit()
const database = await openAppDatabase(env, { migrate: true })
console.log(`Migrations applied (${database.engine}).`)
await database.close()

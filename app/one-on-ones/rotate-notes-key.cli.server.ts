/**
 * Rotates the private-notes key from the command line:
 *
 *   OLD_NOTES_ENCRYPTION_KEY=<current 64 hex> NOTES_ENCRYPTION_KEY=<new 64 hex> npx tsx app/one-on-ones/rotate-notes-key.cli.server.ts
 *
 * (with DATABASE_URL set as for the app, or PGLITE_DIR for the embedded database — stop the app
 * first on PGlite, which allows one process). Every note written with the old key is re-encrypted
 * with the new one in a single transaction; then start the app with the new NOTES_ENCRYPTION_KEY.
 */
import { EnvError, parseEnv } from '~/env.server'
import { openAppDatabase } from '~/db.server'
import { noteKeyId } from './notes-crypto.server'
import { reencryptPrivateNotes } from './one-on-ones.server'

const oldKey = process.env.OLD_NOTES_ENCRYPTION_KEY ?? ''
if (!/^[0-9a-fA-F]{64}$/.test(oldKey)) {
  console.error('OLD_NOTES_ENCRYPTION_KEY must be the current key: 64 hexadecimal characters.')
  process.exit(2)
}
let env
try {
  env = parseEnv()
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error)
  process.exit(2)
}
if (!process.env.NOTES_ENCRYPTION_KEY) {
  console.error('NOTES_ENCRYPTION_KEY must be set to the new key (generate one with `openssl rand -hex 32`).')
  process.exit(2)
}
const database = await openAppDatabase(env)
try {
  const count = await reencryptPrivateNotes(database.db, oldKey, env.NOTES_ENCRYPTION_KEY)
  console.log(`Re-encrypted ${count} private note(s) from key ${noteKeyId(oldKey)} to key ${noteKeyId(env.NOTES_ENCRYPTION_KEY)}.`)
} finally {
  await database.close()
}

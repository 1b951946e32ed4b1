import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

// Fails when db/schema has changes that no committed migration captures: drizzle-kit generates
// into a copy of db/migrations, and any new file there means the two disagree.
const copy = mkdtempSync(join(tmpdir(), 'pulseboard-migrations-'))
cpSync('db/migrations', copy, { recursive: true })
mkdirSync('.cache', { recursive: true })
const config = resolve('.cache/drizzle-check.config.ts')
writeFileSync(
  config,
  `export default { dialect: 'postgresql', casing: 'snake_case', schema: ${JSON.stringify(resolve('db/schema/index.ts'))}, out: ${JSON.stringify(copy)} }\n`,
)
const before = new Set(readdirSync(copy))
const result = spawnSync('npx', ['drizzle-kit', 'generate', '--config', config, '--name', 'check'], { encoding: 'utf8' })
const added = readdirSync(copy).filter((f) => !before.has(f))
rmSync(copy, { recursive: true, force: true })
rmSync(config, { force: true })
if (result.status !== 0) {
  console.error(result.stdout, result.stderr)
  console.error('drizzle-kit could not compare the schema with the migrations.')
  process.exit(1)
}
if (added.length) {
  console.error(`db/schema and db/migrations disagree: drizzle-kit would generate ${added.join(', ')}.\nRun \`npm run db:generate -- --name <what_changed>\` and commit the migration with the schema change.`)
  process.exit(1)
}
console.log('db/schema and the committed migrations agree.')

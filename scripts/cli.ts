import { parseArgs } from 'node:util'
import { z } from 'zod'
import { roles } from '#db/schema/people'
import { createAdmin, createSignInUrl } from '~/auth/admin.server'
import { closeAppContext, createAppContext } from '~/context.server'
import { openAppDatabase } from '~/db.server'
import { createApiKey } from '~/settings/api-keys.server'
import { loadEnvOrExit } from './boot'

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  api-key:create --name NAME [--role ROLE]   create an API key (admin rights unless --role narrows it);
                                             the key is printed alone on the last line
  admin:create --email EMAIL --name NAME     create an administrator (or make an existing person one)
  login-link --email EMAIL                   print a one-off sign-in link (15 minutes, single use)
  help                                       this text

Roles: ${roles.join(', ')}`

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`)
  process.exit(2)
}

const [command, ...rest] = process.argv.slice(2)
if (!command || command === 'help' || command === '--help') {
  console.log(usage)
  process.exit(command ? 0 : 2)
}
const known = ['api-key:create', 'admin:create', 'login-link']
if (!known.includes(command)) fail(`Unknown command "${command}".`)

let values: Record<string, string | undefined>
try {
  values = parseArgs({ args: rest, options: { name: { type: 'string' }, role: { type: 'string' }, email: { type: 'string' } }, strict: true }).values
} catch (error) {
  fail((error as Error).message)
}

const schemas = {
  'api-key:create': z.object({
    name: z.string({ error: '--name is required (a label such as "BI export")' }).trim().min(1, { error: '--name must not be empty' }).max(100),
    role: z.enum(roles, { error: `--role must be one of ${roles.join(', ')}` }).default('admin'),
  }),
  'admin:create': z.object({
    email: z.email({ error: '--email must be an email address such as name@company.com' }),
    name: z.string({ error: '--name is required' }).trim().min(1, { error: '--name must not be empty' }),
  }),
  'login-link': z.object({ email: z.email({ error: '--email must be an email address such as name@company.com' }) }),
} as const

const parsed = schemas[command as keyof typeof schemas].safeParse(values)
if (!parsed.success) fail(parsed.error.issues.map((i) => i.message).join('\n'))

const env = loadEnvOrExit()
const database = await openAppDatabase(env)
const ctx = await createAppContext(env, database, { schedule: false, supervise: false })
let code = 0
try {
  if (command === 'api-key:create') {
    const { name, role } = parsed.data as { name: string; role: (typeof roles)[number] }
    const created = await createApiKey(ctx.db, { name, role })
    console.log(`Created API key "${created.name}" with role ${created.role}. It is shown only now; store it safely.`)
    console.log(created.key)
  } else if (command === 'admin:create') {
    const { email, name } = parsed.data as { email: string; name: string }
    const outcome = await createAdmin(ctx.db, { email, name })
    console.log(outcome === 'created' ? `Created admin ${email}.` : `${email} already existed and is now an admin.`)
  } else {
    const { email } = parsed.data as { email: string }
    const url = await createSignInUrl(ctx, email)
    if (!url) {
      console.error(`No active person has the email ${email}.`)
      code = 1
    } else console.log(url)
  }
} finally {
  await closeAppContext(ctx)
}
process.exit(code)

import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

// Every variable Pulseboard reads, validated once at boot. `.env.example` mirrors this list.
const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const secret = z.string().min(32, { error: 'must be at least 32 characters (use `openssl rand -hex 32`)' })

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'expected development, production or test' }).default('development'),
  PORT: z.coerce.number({ error: 'expected a port number' }).int().min(1, { error: 'expected a port from 1 to 65535' }).max(65535, { error: 'expected a port from 1 to 65535' }).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  APP_URL: z.url({ error: 'expected an absolute URL such as https://pulse.example.com' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'expected a postgres:// or postgresql:// connection URL' })
    .optional(),
  PGLITE_DIR: z.string().min(1).default('./data/pglite'),
  DATA_DIR: z.string().min(1).default('./data'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { error: 'expected an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.com:587' })
    .optional(),
  MAIL_FROM: z.string().min(3).default('Pulseboard <pulseboard@localhost>'),
  SESSION_SECRET: secret.optional(),
  NOTES_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hexadecimal characters (a 256-bit key: `openssl rand -hex 32`)' })
    .optional(),
  SEED_DEMO: boolean.default(true),
  RUN_WORKER: boolean.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  TRUST_PROXY: boolean.default(false),
})

export type Env = z.infer<typeof envSchema> & { SESSION_SECRET: string; NOTES_ENCRYPTION_KEY: string; APP_URL: string }

export class EnvError extends Error {}

/** Parses the environment; throws an EnvError naming each bad variable and what it accepts. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings count as unset, as in most .env tooling.
  const input = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''))
  const parsed = envSchema.safeParse(input)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new EnvError(`Invalid environment configuration:\n${lines.join('\n')}`)
  }
  const env = parsed.data
  const missing: string[] = []
  const secrets = {
    SESSION_SECRET: env.SESSION_SECRET,
    NOTES_ENCRYPTION_KEY: env.NOTES_ENCRYPTION_KEY,
  }
  for (const name of ['SESSION_SECRET', 'NOTES_ENCRYPTION_KEY'] as const) {
    if (secrets[name]) continue
    if (env.NODE_ENV === 'production') missing.push(name)
    else secrets[name] = developmentSecret(env.DATA_DIR, name)
  }
  if (missing.length) {
    throw new EnvError(
      `Invalid environment configuration:\n${missing
        .map((n) => `  ${n}: required in production (generate one with \`openssl rand -hex 32\`)`)
        .join('\n')}`,
    )
  }
  return {
    ...env,
    SESSION_SECRET: secrets.SESSION_SECRET!,
    NOTES_ENCRYPTION_KEY: secrets.NOTES_ENCRYPTION_KEY!,
    APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
  }
}

/** In development a missing secret is generated once into DATA_DIR (mode 0600) so `npm start` needs no setup. */
function developmentSecret(dataDir: string, name: string): string {
  const file = join(dataDir, 'secrets.json')
  mkdirSync(dataDir, { recursive: true })
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
  if (!stored[name]) {
    stored[name] = randomBytes(32).toString('hex')
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 })
    chmodSync(file, 0o600)
    console.warn(`[pulseboard] ${name} is not set: generated a development value in ${file}. Set it explicitly in production.`)
  }
  return stored[name]
}

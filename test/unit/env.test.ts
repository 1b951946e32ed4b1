import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '~/env.server'

const dataDir = () => mkdtempSync(join(tmpdir(), 'pulseboard-env-'))

describe('environment validation', () => {
  it('names every bad variable and what it accepts', () => {
    expect(() =>
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://db/x', SMTP_URL: 'mail.example.com', SEED_DEMO: 'maybe', LOG_LEVEL: 'loud', NODE_ENV: 'staging', DATA_DIR: dataDir() }),
    ).toThrow(
      new EnvError(
        [
          'Invalid environment configuration:',
          '  NODE_ENV: expected development, production or test',
          '  PORT: expected a port number',
          '  DATABASE_URL: expected a postgres:// or postgresql:// connection URL',
          '  SMTP_URL: expected an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.com:587',
          '  SEED_DEMO: expected true or false',
          '  LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
        ].join('\n'),
      ),
    )
  })

  it('requires the secrets in production and rejects a short one', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      'Invalid environment configuration:\n  SESSION_SECRET: required in production (generate one with `openssl rand -hex 32`)\n  NOTES_ENCRYPTION_KEY: required in production (generate one with `openssl rand -hex 32`)',
    )
    expect(() => parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'short', NOTES_ENCRYPTION_KEY: 'zz' })).toThrow(/SESSION_SECRET: must be at least 32 characters[\s\S]*NOTES_ENCRYPTION_KEY: expected 64 hexadecimal characters/)
  })

  it('generates development secrets once, into a 0600 file, and reuses them', () => {
    const dir = dataDir()
    const first = parseEnv({ DATA_DIR: dir })
    const second = parseEnv({ DATA_DIR: dir })
    expect(first.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/)
    expect(first.NOTES_ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/)
    expect(second.SESSION_SECRET).toBe(first.SESSION_SECRET)
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).SESSION_SECRET).toBe(first.SESSION_SECRET)
  })

  it('applies the documented defaults and treats empty values as unset', () => {
    const env = parseEnv({ DATA_DIR: dataDir(), PORT: '', DATABASE_URL: '' })
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, HOST: '0.0.0.0', APP_URL: 'http://localhost:3000', SEED_DEMO: true, RUN_WORKER: true, PGLITE_DIR: './data/pglite' })
    expect('DATABASE_URL' in env).toBe(false)
  })
})

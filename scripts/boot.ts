import { type Env, EnvError, parseEnv } from '~/env.server'

/** Parses the environment or stops the process with a message naming each bad variable. */
export function loadEnvOrExit(): Env {
  try {
    return parseEnv()
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message)
      console.error('See .env.example for every variable and what it accepts.')
      process.exit(1)
    }
    throw error
  }
}

/** Runs cleanup once on SIGTERM or SIGINT (PGlite must be closed cleanly), then exits. */
export function onShutdown(cleanup: () => Promise<void>) {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`[pulseboard] ${signal} received: shutting down`)
    // Past the HTTP drain (10 s) and the jobs' graceful stop (10 s), something is stuck.
    const force = setTimeout(() => process.exit(1), 30_000)
    force.unref()
    try {
      await cleanup()
      process.exit(0)
    } catch (error) {
      console.error(error)
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

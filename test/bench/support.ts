/** Small helpers of the benchmark: percentiles, process memory, child processes, ports. */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

/** The repository's root (entry points and tsconfig are resolved from it whatever the child's cwd). */
export const root = join(import.meta.dirname, '..', '..')

export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]
}

/** VmRSS and VmHWM (peak) of a process, in MB, from /proc/<pid>/status. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    const rss = kb('VmRSS')
    const peak = kb('VmHWM')
    // A process that has exited but not been reaped yet lists no memory at all.
    return Number.isFinite(rss) && Number.isFinite(peak) ? { rssMb: rss / 1024, peakMb: peak / 1024 } : null
  } catch {
    return null
  }
}

/** Samples a process's RSS every 250 ms; `stop` returns the highest VmRSS and VmHWM seen. */
export function watchMemory(pid: number) {
  let maxRss = 0
  let peak = 0
  const sample = () => {
    const m = memoryOf(pid)
    if (m) {
      maxRss = Math.max(maxRss, m.rssMb)
      peak = Math.max(peak, m.peakMb)
    }
  }
  sample()
  const timer = setInterval(sample, 250)
  return {
    stop() {
      sample()
      clearInterval(timer)
      return { maxRssMb: maxRss, peakMb: peak }
    },
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export type Child = { process: ChildProcess; pid: number; output: () => string; stop: () => Promise<void> }

/** Runs a TypeScript entry point in a child Node process (through tsx) with the given environment. */
export function startChild(entry: string, env: Record<string, string>, options: { cwd?: string } = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  return {
    process: child,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    },
  }
}

/** Waits until `url` answers 2xx (or the child exits). */
export async function waitReady(child: Child, url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`The child process exited with ${child.process.exitCode}:\n${child.output()}`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Not ready after ${timeoutMs} ms:\n${child.output()}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Waits for a child to exit and returns what it printed after "BENCH_RESULT ", parsed as JSON. */
export async function childResult<T>(child: Child): Promise<T> {
  const code = await new Promise<number | null>((resolve) => (child.process.exitCode !== null ? resolve(child.process.exitCode) : child.process.once('exit', resolve)))
  const line = child
    .output()
    .split('\n')
    .find((l) => l.startsWith('BENCH_RESULT '))
  if (code !== 0 || !line) throw new Error(`The child process exited with ${code}:\n${child.output().slice(-4000)}`)
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as T
}

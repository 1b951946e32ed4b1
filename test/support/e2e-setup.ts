import { existsSync } from 'node:fs'
import { buildIfStale } from '../../scripts/build-if-stale'

/** End-to-end tests run against the production build of the app, built once per run. */
export default function setup() {
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('End-to-end tests need Debian’s Chromium at /usr/bin/chromium: apt-get install -y chromium (.ci/run does this).')
  }
  buildIfStale()
}

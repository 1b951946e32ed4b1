import { buildIfStale } from './build-if-stale'
import { runServer } from './server'

// `npm start` right after `npm install`: build when the build is missing or stale, then serve.
buildIfStale()
await runServer({ dev: false })

import { buildIfStale } from '../../scripts/build-if-stale'

/** The fault suite runs the real server on the production build, built once per run when stale. */
export default function setup() {
  buildIfStale()
}

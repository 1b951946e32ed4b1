import { describe, expect, it } from 'vitest'
import { SEND_RETRY, jobCatalog } from '~/jobs/catalog'
import { jobHandlers } from '~/jobs/registry.server'

describe('the job catalog', () => {
  it('names the same jobs as the handlers', () => {
    expect(Object.keys(jobHandlers).sort()).toEqual(Object.keys(jobCatalog).sort())
  })

  it('gives every scheduled job a schema that accepts the empty payload a schedule sends', () => {
    const scheduled = Object.entries(jobCatalog).filter(([, entry]) => 'cron' in entry)
    expect(scheduled.length).toBeGreaterThan(0)
    for (const [name, entry] of scheduled) expect(entry.schema.safeParse({}).success, name).toBe(true)
  })

  it('retries survey sends inserted in bulk the way their queue retries them', () => {
    expect(jobCatalog['surveys.send-invitation'].queue).toEqual(SEND_RETRY)
    expect(jobCatalog['surveys.send-reminder'].queue).toEqual(SEND_RETRY)
  })
})

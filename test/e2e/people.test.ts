import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer } from '#test/support/app-server'
import { launchBrowser, newPage } from '#test/support/browser'
import { createPerson } from '#test/support/factories'
import { startSmtpSink } from '#test/support/smtp-sink'

let browser: Browser
let sink: Awaited<ReturnType<typeof startSmtpSink>>
let app: Awaited<ReturnType<typeof startAppServer>>

beforeAll(async () => {
  sink = await startSmtpSink()
  app = await startAppServer({
    smtpUrl: sink.url,
    prepare: async (db) => {
      await createPerson(db, { email: 'ops@acme.test', name: 'Olga Ops', role: 'admin', locale: 'en' })
    },
  })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await sink?.close()
})

describe('an admin sets up the organisation in the browser', () => {
  it('signs in by email, creates a team and imports people.csv', async () => {
    const page = await newPage(browser, { locale: 'en-GB' })
    await page.goto(`${app.url}/login`)
    await page.getByRole('textbox', { name: 'Work email' }).fill('ops@acme.test')
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    const mail = await sink.waitFor('ops@acme.test', (m) => m.subject === 'Your Pulseboard sign-in link', 60_000)
    await page.goto(/(http:\/\/\S+\/auth\/verify\?token=[A-Za-z0-9_-]+)/.exec(mail.text)![1])
    await page.getByRole('button', { name: 'Sign me in' }).click()
    // The verify page has a heading too: wait until the sign-in has left it, or the next page races the cookie.
    await page.waitForURL((u) => !u.pathname.startsWith('/auth'))
    await page.getByRole('heading', { level: 1 }).first().waitFor()

    await page.goto(`${app.url}/teams/new`)
    await page.getByLabel('Name').fill('Firenze')
    await page.getByRole('button', { name: /create|save/i }).first().click()
    await page.getByText('Team created.').waitFor()

    await page.goto(`${app.url}/people/import`)
    await page.getByLabel('CSV file').setInputFiles('test/fixtures/people.csv')
    await page.getByRole('button', { name: 'Preview' }).click()
    await page.getByRole('button', { name: 'Import 18 changes' }).click()
    await page.getByText('Import complete: 18 added, 0 updated.').waitFor()

    await page.goto(`${app.url}/people?q=Giulia`)
    await expect.poll(() => page.getByRole('link', { name: 'Giulia Rossi' }).count()).toBe(1)
    await page.goto(`${app.url}/teams`)
    for (const team of ['Firenze', 'Milano', 'Roma', 'London']) {
      await expect.poll(() => page.getByRole('link', { name: team, exact: true }).count()).toBeGreaterThan(0)
    }
    await page.close()
  })
})

import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer } from '#test/support/app-server'
import { launchBrowser, newPage } from '#test/support/browser'
import { startSmtpSink } from '#test/support/smtp-sink'

let browser: Browser
let sink: Awaited<ReturnType<typeof startSmtpSink>>
let app: Awaited<ReturnType<typeof startAppServer>>

beforeAll(async () => {
  sink = await startSmtpSink()
  app = await startAppServer({ smtpUrl: sink.url, seedDemo: true })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await sink?.close()
})

describe('signing in with an emailed link', () => {
  it('requests a link, reads it from the SMTP server, follows it and lands signed in', async () => {
    const page = await newPage(browser, { locale: 'en-GB' })
    await page.goto(`${app.url}/`)
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login')
    // The first start already emailed the demo admin a link; only the one requested now counts.
    sink.messages.length = 0
    await page.getByRole('textbox', { name: 'Work email' }).fill('matteo.costa@example.it')
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    await page.getByText('If an account exists for that address').waitFor()

    // The demo admin's locale is Italian, so the email is in Italian.
    const mail = await sink.waitFor('matteo.costa@example.it', (m) => m.subject === 'Il tuo link di accesso a Pulseboard', 60_000)
    const link = /(http:\/\/127\.0\.0\.1:\d+\/auth\/verify\?token=[A-Za-z0-9_-]+)/.exec(mail.text)![1]
    await page.goto(link)
    // Until signed in the page follows the browser's language; then the person's (Italian).
    await page.getByRole('button', { name: 'Sign me in' }).click()
    // Signed in on the home dashboard, in Matteo's language (Italian).
    await page.getByRole('button', { name: 'Esci' }).waitFor()
    await page.getByRole('navigation', { name: 'Navigazione principale' }).getByRole('link', { name: 'Impostazioni' }).waitFor()

    const cookies = await page.context().cookies()
    const session = cookies.find((c) => c.name === 'pb_session')!
    expect(session.httpOnly).toBe(true)
    expect(session.sameSite).toBe('Lax')

    // The link is single use.
    const again = await newPage(browser, { locale: 'it-IT' })
    await again.goto(link)
    await again.getByText('Questo link di accesso è già stato usato').waitFor()

    // The language switcher works for a signed-in person and is remembered.
    await page.getByLabel('Lingua').selectOption('en')
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    await page.reload()
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).waitFor()
    await page.close()
    await again.close()
  })

  it('shows a clear page for a forged link', async () => {
    const page = await newPage(browser, { locale: 'en-GB' })
    await page.goto(`${app.url}/auth/verify?token=forged-token-that-does-not-exist`)
    await page.getByText('This sign-in link is not valid.').waitFor()
    await page.close()
  })

  it('answers 404 with a page in the person’s language', async () => {
    const page = await newPage(browser, { locale: 'it-IT' })
    const res = await page.goto(`${app.url}/no-such-page`)
    expect(res!.status()).toBe(404)
    await page.getByRole('heading', { name: 'Pagina non trovata' }).waitFor()
    await page.close()
  })
})


import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { settings } from '#db/schema'
import { startAppServer } from '#test/support/app-server'
import { launchBrowser, newPage } from '#test/support/browser'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { startSmtpSink } from '#test/support/smtp-sink'

let browser: Browser
let sink: Awaited<ReturnType<typeof startSmtpSink>>
let app: Awaited<ReturnType<typeof startAppServer>>
const reps = ['ada@acme.test', 'bruno@acme.test', 'carla@acme.test']

beforeAll(async () => {
  sink = await startSmtpSink()
  app = await startAppServer({
    smtpUrl: sink.url,
    prepare: async (db) => {
      // The lowest threshold the product allows, so three answers make a visible result.
      await db.insert(settings).values({ id: 1, orgName: 'Acme', thresholdScores: 3, thresholdComments: 3, defaultLocale: 'en', timezone: 'Europe/Rome' })
      await createPerson(db, { email: 'hanna@acme.test', name: 'Hanna HR', role: 'hr', locale: 'en' })
      const team = await createTeam(db, { name: 'Torino' })
      const manager = await createPerson(db, { email: 'tom@acme.test', name: 'Tom Manager', teamId: team.id, locale: 'en' })
      await setTeamManager(db, team.id, manager.id)
      await createPerson(db, { email: reps[0], name: 'Ada Rep', teamId: team.id, managerId: manager.id, locale: 'it' })
      await createPerson(db, { email: reps[1], name: 'Bruno Rep', teamId: team.id, managerId: manager.id, locale: 'en' })
      await createPerson(db, { email: reps[2], name: 'Carla Rep', teamId: team.id, managerId: manager.id, locale: 'en' })
    },
  })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await sink?.close()
})

async function signIn(page: Page, email: string) {
  await page.goto(`${app.url}/login`)
  await page.getByRole('textbox', { name: 'Work email' }).fill(email)
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
  const mail = await sink.waitFor(email, (m) => m.subject === 'Your Pulseboard sign-in link', 60_000)
  await page.goto(/(http:\/\/\S+\/auth\/verify\?token=[A-Za-z0-9_-]+)/.exec(mail.text)![1])
  await page.getByRole('button', { name: 'Sign me in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/auth'))
}

const surveyLink = (text: string) => /(http:\/\/\S+\/s\/[A-Za-z0-9_-]+)/.exec(text)![1]

describe('a survey from design to results', () => {
  it('hr schedules a monthly eNPS, the due job sends it, reps answer on phones, the results show', async () => {
    const hr = await newPage(browser, { locale: 'en-GB' })
    await signIn(hr, 'hanna@acme.test')
    await hr.goto(`${app.url}/surveys/new`)
    await hr.getByRole('button', { name: 'Use this template' }).nth(1).click()
    await hr.waitForURL(/\/surveys\/[0-9a-f-]{36}$/)
    const surveyPage = hr.url()
    // Once, with no start day: due as soon as it is started; the scheduler job picks it up.
    await hr.getByLabel('How often').selectOption('once')
    await hr.getByRole('button', { name: 'Save survey' }).click()
    await hr.getByText('Survey saved.').first().waitFor()
    await hr.getByRole('button', { name: 'Start schedule' }).click()

    // The invitation arrives in each person's language (Ada is Italian).
    const adaMail = await sink.waitFor(reps[0], (m) => /\/s\//.test(m.text), 150_000)
    expect(adaMail.subject).toContain('eNPS')
    const brunoMail = await sink.waitFor(reps[1], (m) => /\/s\//.test(m.text), 60_000)
    const carlaMail = await sink.waitFor(reps[2], (m) => /\/s\//.test(m.text), 60_000)

    // Ada answers on a 360 px phone with JavaScript off, in Italian.
    const phoneNoJs = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'it-IT' })
    const ada = await phoneNoJs.newPage()
    ada.setDefaultTimeout(60_000)
    await ada.goto(surveyLink(adaMail.text))
    await ada.locator('label', { hasText: /^9$/ }).first().click()
    await ada.getByRole('button', { name: 'Invia le mie risposte' }).click()
    await ada.getByText('Grazie!').waitFor()
    // A second submission of the same link stores nothing more.
    await ada.goto(surveyLink(adaMail.text))
    await expect.poll(() => ada.getByRole('button', { name: 'Invia le mie risposte' }).count()).toBe(0)

    // Bruno answers with JavaScript on, Carla with it off.
    const phoneJs = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'en-GB' })
    const bruno = await phoneJs.newPage()
    bruno.setDefaultTimeout(60_000)
    await bruno.goto(surveyLink(brunoMail.text))
    await bruno.locator('label', { hasText: /^10\b/ }).first().click()
    await bruno.getByRole('button', { name: 'Send my answers' }).click()
    await bruno.getByText('Thank you!').waitFor()
    const carla = await phoneNoJs.newPage()
    carla.setDefaultTimeout(60_000)
    await carla.goto(surveyLink(carlaMail.text))
    await carla.locator('label', { hasText: /^5$/ }).first().click()
    // The page speaks the invitee's language (English), not the browser's.
    await carla.getByRole('button', { name: 'Send my answers' }).click()
    await carla.getByText('Thank you!').waitFor()

    // Results appear when the round closes: hr closes it now from the survey page (an open round
    // publishes nothing, so reloading cannot tell one answer from the next).
    await hr.goto(surveyPage)
    await hr.getByRole('button', { name: 'Close the open round now' }).click()
    await hr.getByText('The open round was closed').waitFor()

    // Two promoters and one detractor of three: eNPS = 67 − 33 = 33.
    await hr.goto(`${app.url}/results`)
    await hr.getByRole('link', { name: /Monthly eNPS/ }).first().click()
    await hr.getByText(/33/).first().waitFor()
    const html = await hr.content()
    expect(html).toContain('33')
    await phoneNoJs.close()
    await phoneJs.close()
    // The scheduler runs every minute, so this story takes a few minutes end to end.
  }, 420_000)
})

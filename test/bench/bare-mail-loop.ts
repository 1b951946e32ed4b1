/**
 * Baseline for the invitation wave: a bare nodemailer send loop of the same messages (the survey
 * invitation email, rendered once up front, each copy with its own link), through a pool of five
 * connections like the product's mailer. No database, no job queue, no per-message rendering.
 * Stops at BENCH_SECONDS if given. Prints BENCH_RESULT {"sent", "seconds"}.
 */
import { createElement } from 'react'
import nodemailer from 'nodemailer'
import { SurveyInvitationEmail, surveyInvitationSubject } from '#emails/survey-invitation'
import { renderEmail } from '~/email/render.server'
import { privacyStatement } from '~/responses/privacy'

const count = Number(process.env.BENCH_COUNT)
const placeholder = 'TOKENPLACEHOLDER'
const props = { locale: 'en' as const, name: 'Person 00005', title: 'Wave pulse 1', url: `http://127.0.0.1/s/${placeholder}`, closesOn: '1 December 2026', privacy: privacyStatement('confidential', 'en', 5) }
const { html, text } = await renderEmail(createElement(SurveyInvitationEmail, props))
const subject = surveyInvitationSubject(props)
const transport = nodemailer.createTransport({ url: process.env.SMTP_URL!, pool: true, maxConnections: 5 } as Parameters<typeof nodemailer.createTransport>[0], { from: 'Pulseboard <pulseboard@localhost>' })
const limitMs = Number(process.env.BENCH_SECONDS ?? 'Infinity') * 1000
const started = performance.now()
let sent = 0
for (let i = 0; i < count && performance.now() - started < limitMs; i++, sent++) {
  const token = `bare${String(i).padStart(44, '0')}`
  await transport.sendMail({ to: `person${String(5 + (i % 1000)).padStart(5, '0')}@bench.example`, subject, html: html.replaceAll(placeholder, token), text: text.replaceAll(placeholder, token) })
}
const seconds = (performance.now() - started) / 1000
transport.close()
console.log(`BENCH_RESULT ${JSON.stringify({ sent, seconds })}`)

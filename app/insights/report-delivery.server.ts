import { createElement } from 'react'
import { LeadershipReportEmail, leadershipReportSubject } from '#emails/leadership-report'
import { WeeklyDigestEmail, weeklyDigestSubject } from '#emails/weekly-digest'
import type { AppContext } from '~/context'
import { RecipientRejectedError } from '~/email/mailer.server'
import { type PlainTextOptions, renderEmail } from '~/email/render.server'
import { getSettings } from '~/settings/settings.server'
import { NOTABLE_CHANGE, type ReportKind, claimDelivery, digestFor, leadershipReport, releaseDelivery, reportPeriod, reportRecipient, reportRecipients } from './reports.server'

/**
 * The reports' plain-text part keeps tables as aligned columns (by default html-to-text runs a
 * table's cells together) and section headings as written.
 */
const reportText = {
  selectors: [
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    { selector: 'h2', options: { uppercase: false } },
  ],
} satisfies PlainTextOptions

const jobName: Record<ReportKind, 'reports.weekly-digest-email' | 'reports.leadership-report-email'> = {
  weekly_digest: 'reports.weekly-digest-email',
  leadership_report: 'reports.leadership-report-email',
}

/**
 * A scheduled run: the period it reports on, then one email job per recipient. The jobs may be
 * queued any number of times (two workers, a retried run); the delivery ledger sends once.
 */
export async function queueReports(ctx: Pick<AppContext, 'db' | 'jobs'>, kind: ReportKind, now: Date): Promise<{ period: string; queued: number }> {
  const period = await reportPeriod(ctx.db, kind, now)
  const recipients = await reportRecipients(ctx.db, kind)
  for (const r of recipients) {
    await ctx.jobs.send(jobName[kind], { personId: r.id, period, now: now.toISOString() }, { singletonKey: `${kind}:${period}:${r.id}` })
  }
  return { period, queued: recipients.length }
}

/**
 * One report to one person: claimed in report_deliveries before sending (only the worker whose
 * INSERT returns the row sends); a failed send gives the claim back so the retry can send it,
 * except when the server refused the recipient for good.
 * The recipient is checked again here: someone who opted out or left since the run gets nothing.
 */
export async function sendReport(ctx: Pick<AppContext, 'db' | 'env' | 'mailer' | 'logger'>, kind: ReportKind, input: { personId: string; period: string; now: Date }): Promise<boolean> {
  const recipient = await reportRecipient(ctx.db, kind, input.personId)
  if (!recipient) return false
  const delivery = { kind, period: input.period, personId: recipient.id }
  if (!(await claimDelivery(ctx.db, delivery))) return false
  try {
    const printUrl = `${ctx.env.APP_URL}/dashboard/print`
    let email: { subject: string; html: string; text: string }
    if (kind === 'weekly_digest') {
      const data = await digestFor(ctx.db, recipient.id, input.period, input.now)
      const parts = await renderEmail(
        createElement(WeeklyDigestEmail, { locale: recipient.locale, name: recipient.name, data, notableChange: NOTABLE_CHANGE, printUrl, optOutUrl: `${ctx.env.APP_URL}/me/digest` }),
        { plainText: reportText },
      )
      email = { subject: weeklyDigestSubject(recipient.locale, input.period), ...parts }
    } else {
      const [data, settings] = await Promise.all([leadershipReport(ctx.db, input.period), getSettings(ctx.db)])
      const parts = await renderEmail(createElement(LeadershipReportEmail, { locale: recipient.locale, name: recipient.name, orgName: settings.orgName, data, printUrl }), {
        plainText: reportText,
      })
      email = { subject: leadershipReportSubject(recipient.locale, input.period), ...parts }
    }
    await ctx.mailer.send({ to: recipient.email, ...email, kind: kind === 'weekly_digest' ? 'weekly-digest' : 'leadership-report' })
    return true
  } catch (error) {
    // The mail server refused the address: a retry would be refused too, so the claim stays.
    if (error instanceof RecipientRejectedError) {
      ctx.logger.warn({ kind, period: input.period, personId: recipient.id, response: error.response }, 'scheduled report refused by the mail server')
      return false
    }
    await releaseDelivery(ctx.db, delivery)
    throw error
  }
}

import { eq } from 'drizzle-orm'
import { createElement } from 'react'
import { people } from '#db/schema'
import { SignalAlertEmail, signalAlertSubject } from '#emails/signal-alert'
import type { AppContext } from '~/context'
import { renderEmail } from '~/email/render.server'
import { messagesFor } from '~/i18n'
import { getSettings } from '~/settings/settings.server'
import { describeSignal, signalPeriodLabel } from './signal-text'
import { listSignals } from './signals.server'

/**
 * One alert email to one person about the signals claimed for them. The signals are read again
 * through the person's own scope, so a manager who lost the team meanwhile is told nothing about it.
 */
export async function sendSignalAlert(ctx: Pick<AppContext, 'db' | 'env' | 'mailer'>, input: { personId: string; signalIds: string[] }) {
  const [person] = await ctx.db.select({ id: people.id, name: people.name, email: people.email, role: people.role, locale: people.locale, active: people.active }).from(people).where(eq(people.id, input.personId))
  if (!person || !person.active) return
  const list = await listSignals(ctx.db, { id: person.id, role: person.role }, { ids: input.signalIds, status: 'open' })
  if (list.length === 0) return
  const locale = person.locale ?? (await getSettings(ctx.db)).defaultLocale
  const t = messagesFor(locale).signals
  const { html, text } = await renderEmail(
    createElement(SignalAlertEmail, {
      locale,
      name: person.name,
      signals: list.map((s) => ({ team: s.team.name, kind: t.kinds[s.kind], period: signalPeriodLabel(locale, s.period, s.periodUnit), text: describeSignal(locale, s) })),
      url: `${ctx.env.APP_URL}/signals`,
    }),
  )
  await ctx.mailer.send({ to: person.email, subject: signalAlertSubject(locale, list.length), html, text, kind: 'signal-alert' })
}

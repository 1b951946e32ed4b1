import { auth } from './messages/auth'
import { common } from './messages/common'
import { email } from './messages/email'
import { people } from './messages/people'
import { admin } from './messages/admin'
import { funnel } from './messages/funnel'
import { insights } from './messages/insights'
import { oneOnOnes } from './messages/oneOnOnes'
import { results } from './messages/results'
import { surveys } from './messages/surveys'
import { actions } from './messages/actions'
import { signals } from './messages/signals'
import { replies } from './messages/replies'
import { reports } from './messages/reports'
import { dataProtection } from './messages/dataProtection'
import { help } from './messages/help'
import type { Locale } from './locale'

/** Every namespace, each written in English and Italian side by side. */
const namespaces = { common, auth, email, people, admin, surveys, results, funnel, oneOnOnes, insights, actions, signals, replies, reports, dataProtection, help }

export type Messages = { [K in keyof typeof namespaces]: (typeof namespaces)[K]['en'] }

const byLocale = Object.fromEntries(
  (['en', 'it'] as const).map((locale) => [locale, Object.fromEntries(Object.entries(namespaces).map(([k, v]) => [k, v[locale]]))]),
) as Record<Locale, Messages>

export function messagesFor(locale: Locale): Messages {
  return byLocale[locale]
}

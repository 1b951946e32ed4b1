import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { getViewer } from '~/auth/guards.server'
import { messagesFor } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { useT } from '~/i18n/use-t'
import { getSettings } from '~/settings/settings.server'
import { Card, PageHeader } from '~/ui/page'

/** /help/privacy: how anonymity works, for everyone (signed in or not), in the reader's language. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? 'How anonymity works'} · Pulseboard` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const settings = await getSettings(context.app.db)
  const viewer = await getViewer(context.app, request)
  const locale = await resolveLocale(request, viewer?.locale, settings.defaultLocale)
  return { threshold: settings.thresholdScores, title: messagesFor(locale).help.privacy.title }
}

export default function PrivacyHelp() {
  const t = useT().help.privacy
  const { threshold } = useLoaderData<typeof loader>()
  const points = [t.points.threshold({ threshold }), t.points.subtraction, t.points.frozen, t.points.periods, t.points.open, t.points.reps, t.points.history, t.points.comments]
  return (
    <>
      <PageHeader title={t.title} description={t.intro} />
      <Card>
        <ul className="grid list-disc gap-2 pl-5 text-slate-800">
          {points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        <p className="mt-4 text-sm text-slate-600">{t.proof}</p>
      </Card>
    </>
  )
}

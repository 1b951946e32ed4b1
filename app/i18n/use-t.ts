import { useRouteLoaderData } from '@remix-run/react'
import { type Messages, messagesFor } from './index'
import type { Locale } from './locale'

/** The signed-in person's (or the browser's) language, as the root loader decided it. */
export function useLocale(): Locale {
  const data = useRouteLoaderData('root') as { locale?: Locale } | undefined
  return data?.locale ?? 'en'
}

export function useT(): Messages {
  return messagesFor(useLocale())
}

import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { getViewer } from '~/auth/guards.server'
import { safeRedirect } from '~/auth/magic-link.server'
import { isLocale } from '~/i18n/locale'
import { localeCookie } from '~/i18n/locale.server'
import { setPersonLocale } from '~/people/people.server'

export async function loader() {
  return redirect('/')
}

/** The language switcher: saved on the person when signed in, in a cookie otherwise. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const locale = form.get('locale')
  const back = safeRedirect(form.get('redirectTo'))
  if (!isLocale(locale)) return redirect(back)
  const viewer = await getViewer(context.app, request)
  if (viewer) await setPersonLocale(context.app.db, viewer.id, locale)
  return redirect(back, { headers: { 'Set-Cookie': await localeCookie.serialize(locale) } })
}

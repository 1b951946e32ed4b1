import { notFound } from '~/auth/guards.server'
import { useT } from '~/i18n/use-t'

// Unknown addresses: a 404 rendered inside the app shell, in the visitor's language (the root
// loader runs for this route, so the error page knows who is asking).
export async function loader() {
  notFound()
}

export default function NotFound() {
  const t = useT()
  return <h1>{t.common.errors.notFoundTitle}</h1>
}

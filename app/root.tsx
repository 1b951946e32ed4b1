import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { useState } from 'react'
import styles from './app.css?url'
import { getViewer } from './auth/guards.server'
import { messagesFor } from './i18n'
import { type Locale, supportedLocales } from './i18n/locale'
import { resolveLocale } from './i18n/locale.server'
import { useLocale, useT } from './i18n/use-t'
import { requestSettings } from './settings/settings.server'
import { navItems } from './ui/nav'
import { useNonce } from './ui/nonce'

// The icons and the manifest are files of public/ (copied into build/client by the build).
export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.ico', sizes: '32x32' },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'apple-touch-icon', href: '/apple-touch-icon.png' },
  { rel: 'manifest', href: '/manifest.webmanifest' },
  { rel: 'stylesheet', href: styles },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const [viewer, settings] = await Promise.all([getViewer(ctx, request), requestSettings(context)])
  const locale = await resolveLocale(request, viewer?.locale, settings.defaultLocale)
  return {
    locale,
    orgName: settings.orgName,
    devOutbox: ctx.mailer.transport === 'outbox',
    viewer: viewer ? { id: viewer.id, name: viewer.name, email: viewer.email, role: viewer.role, isManager: viewer.isManager } : null,
  }
}

function Document(props: { locale: Locale; title?: string; children: React.ReactNode }) {
  const nonce = useNonce()
  return (
    <html lang={props.locale} className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.title ? <title>{props.title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body className="min-h-full text-slate-900 antialiased">
        {props.children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  return <Document locale={data?.locale ?? 'en'}>{children}</Document>
}

function LanguageSwitcher() {
  const t = useT()
  const locale = useLocale()
  const location = useLocation()
  return (
    <Form method="post" action="/language" className="flex items-center gap-2">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <label htmlFor="language-switcher" className="sr-only">
        {t.common.language}
      </label>
      <select
        id="language-switcher"
        name="locale"
        defaultValue={locale}
        className="rounded border border-slate-300 bg-white px-2 py-1 text-sm"
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
      >
        {supportedLocales.map((l) => (
          <option key={l} value={l}>
            {t.common.languages[l]}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="rounded border border-slate-300 px-2 py-1 text-sm">
          {t.common.actions.save}
        </button>
      </noscript>
    </Form>
  )
}

function Shell(props: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const t = useT()
  const [open, setOpen] = useState(false)
  const viewer = data?.viewer
  const items = viewer ? navItems.filter((i) => i.when(viewer)) : []
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t.common.skipToContent}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link to="/" className="text-lg font-bold text-brand-700">
            {t.common.appName}
            {data?.orgName ? <span className="ml-2 text-sm font-normal text-slate-600">{data.orgName}</span> : null}
          </Link>
          <div className="flex items-center gap-3">
            <LanguageSwitcher />
            {viewer ? (
              <Form method="post" action="/logout">
                <button type="submit" className="rounded px-2 py-1 text-sm text-slate-700 underline-offset-2 hover:underline">
                  {t.common.nav.signOut}
                </button>
              </Form>
            ) : (
              <Link to="/login" className="text-sm text-brand-700 underline">
                {t.common.nav.signIn}
              </Link>
            )}
            {items.length > 0 ? (
              <button
                type="button"
                className="rounded border border-slate-300 px-2 py-1 text-sm md:hidden"
                aria-expanded={open}
                aria-controls="main-nav"
                onClick={() => setOpen((o) => !o)}
              >
                {t.common.nav.menu}
              </button>
            ) : null}
          </div>
        </div>
        {items.length > 0 ? (
          <nav id="main-nav" aria-label={t.common.mainNavigation} className={`${open ? 'block' : 'hidden'} border-t border-slate-100 md:block`}>
            <ul className="mx-auto flex max-w-7xl flex-col gap-1 px-4 py-2 md:flex-row md:flex-wrap md:gap-4">
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink
                    to={item.to}
                    end={item.to === '/' || item.to === '/settings'}
                    className={({ isActive }) =>
                      `block rounded px-2 py-1 text-sm ${isActive ? 'bg-brand-50 font-semibold text-brand-800' : 'text-slate-700 hover:bg-slate-100'}`
                    }
                  >
                    {t.common.nav[item.key]}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {props.children}
      </main>
    </>
  )
}

export default function App() {
  useLoaderData<typeof loader>()
  return (
    <Shell>
      <Outlet />
    </Shell>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const data = useRouteLoaderData<typeof loader>('root')
  const t = messagesFor(data?.locale ?? 'en').common.errors
  const status = isRouteErrorResponse(error) ? error.status : 500
  const [title, body] =
    status === 404 ? [t.notFoundTitle, t.notFoundBody] : status === 403 ? [t.forbiddenTitle, t.forbiddenBody] : status === 503 ? [t.unavailableTitle, t.unavailableBody] : [t.unexpectedTitle, t.unexpectedBody]
  const content = (
    <section aria-labelledby="error-title" className="mx-auto max-w-xl py-12 text-center">
      <p className="text-sm font-semibold text-brand-700">{status}</p>
      <h1 id="error-title" className="mt-2 text-2xl font-bold">
        {title}
      </h1>
      <p className="mt-3 text-slate-700">{body}</p>
      <a href="/" className="mt-6 inline-block rounded bg-brand-700 px-4 py-2 font-semibold text-white">
        {t.goHome}
      </a>
    </section>
  )
  return data ? <Shell>{content}</Shell> : <main id="main">{content}</main>
}

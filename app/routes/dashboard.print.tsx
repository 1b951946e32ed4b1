import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { forbidden, requireViewer } from '~/auth/guards.server'
import { OverlayView } from '~/insights/dashboard-view'
import { homeFor } from '~/insights/overlay.server'

export const meta: MetaFunction = () => [{ title: 'Pulseboard · print' }]

/** The dashboard for a leadership meeting: same data and filters, tables always visible, no navigation when printed. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireViewer(context.app, request)
  const dashboard = await homeFor(context.app.db, viewer, new URL(request.url).searchParams)
  if (!dashboard) forbidden()
  return dashboard
}

// The site header and navigation belong to the root layout; on paper they are noise, so hide
// them (and expand scroll areas) in print only. style-src allows inline styles (app/http.server.ts).
const PRINT_CSS = `@media print {
  body > div > a[href="#main"], header, nav { display: none !important; }
  main { max-width: none !important; padding: 0 !important; }
  section, figure, table { break-inside: avoid; }
  .overflow-auto, .overflow-x-auto { overflow: visible !important; max-height: none !important; }
}`

export default function DashboardPrint() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <style>{PRINT_CSS}</style>
      <OverlayView data={data} print />
    </>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/audit/audit.server'
import { forbidden, requireViewer } from '~/auth/guards.server'
import { dashboardCsv } from '~/insights/export.server'
import { homeFor } from '~/insights/overlay.server'
import { sentimentKey } from '~/insights/overlay'

/** The dashboard's aggregates as CSV, for the same filters; every export is audited. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const dashboard = await homeFor(ctx.db, viewer, new URL(request.url).searchParams)
  if (!dashboard) forbidden()
  const { sentiment, ...filters } = dashboard.filters
  await recordAudit(ctx.db, { actorId: viewer.id, action: 'dashboard.exported', details: { ...filters, sentiment: sentimentKey(sentiment) } })
  const name = `pulseboard-overlay-${dashboard.filters.from}-${dashboard.filters.to}.csv`
  return new Response(dashboardCsv(dashboard), {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' },
  })
}

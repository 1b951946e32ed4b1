import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireManagerOr } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { funnelDashboard, parseDashboardQuery } from '~/funnel/dashboard.server'
import { FunnelDashboardView } from '~/funnel/dashboard-view'

export const meta: MetaFunction = () => [{ title: 'Funnel · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Managers see their own teams; hr, leader, marketing and admin (funnel:org) see everyone.
  const viewer = await requireManagerOr(context.app, request, 'funnel:org')
  const query = parseDashboardQuery(new URL(request.url))
  const data = await funnelDashboard(context.app.db, viewer, query)
  return { ...data, seesEveryone: roleCan(viewer.role, 'funnel:org'), isAdmin: roleCan(viewer.role, 'settings:write') }
}

export default function FunnelDashboard() {
  const data = useLoaderData<typeof loader>()
  return <FunnelDashboardView data={data} />
}

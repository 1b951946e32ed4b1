import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireManagerOr } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { hasOrgRight } from '~/auth/scope.server'
import { funnelDashboard, parseDashboardQuery } from '~/funnel/dashboard.server'
import { FunnelDashboardView } from '~/funnel/dashboard-view'
import { funnelOrgRight } from '~/funnel/scope.server'

export const meta: MetaFunction = () => [{ title: 'Funnel · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Managers see their own teams; hr, leader and admin (funnel:org) everyone; marketing (funnel:top)
  // the organisation's top of the funnel only, decided by the dashboard's queries.
  const viewer = await requireManagerOr(context.app, request, funnelOrgRight)
  const query = parseDashboardQuery(new URL(request.url))
  const data = await funnelDashboard(context.app.db, viewer, query)
  return { ...data, seesEveryone: hasOrgRight(viewer.role, funnelOrgRight), isAdmin: roleCan(viewer.role, 'settings:write') }
}

export default function FunnelDashboard() {
  const data = useLoaderData<typeof loader>()
  return <FunnelDashboardView data={data} />
}

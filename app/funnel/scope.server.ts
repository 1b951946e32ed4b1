import { type ScopeSubject, hasOrgRight } from '~/auth/scope.server'

/**
 * Who a funnel reader may see, by the one scope rule (~/auth/scope.server): the roles with
 * funnel:org or funnel:top see everyone; a manager sees the teams they manage with every sub-team
 * plus their direct reports; anyone else sees nobody. Every funnel query applies it inside the
 * database.
 *
 * And what they may see of it, the view:
 * - `full` (funnel:org, a manager for their teams, the system): every figure;
 * - `top` (funnel:top without funnel:org: marketing): the top of the funnel only — leads, lead
 *   conversion by source and campaign, campaign ROI and costs — over the whole organisation.
 *   No per-rep or per-team figure, no won amount or pipeline outside a campaign, no quota,
 *   target, attainment or forecast. The queries that compute those refuse a `top` scope.
 */
export type FunnelScope = ScopeSubject

/** The rights that show a funnel reader the whole organisation (in full or its top only). */
export const funnelOrgRight = ['funnel:org', 'funnel:top'] as const

export type FunnelView = 'full' | 'top'

export function funnelView(scope: FunnelScope): FunnelView {
  if ('all' in scope) return 'full'
  return !hasOrgRight(scope.viewer.role, 'funnel:org') && hasOrgRight(scope.viewer.role, 'funnel:top') ? 'top' : 'full'
}

/** What a `top` view is told when it asks for more (also the API's 403 message). */
export const TOP_OF_FUNNEL_ONLY =
  'The top-of-funnel view (funnel:top, the marketing role) covers leads, lead conversion by lead source and industry, and campaigns (ROI, cost per lead and per won deal), for the whole organisation. Per-rep and per-team figures, won amounts, pipeline, quotas, targets, attainment and forecasts need the funnel:org permission.'

/** Thrown by a funnel query asked for figures beyond the top of the funnel by a `top` scope. */
export class FunnelViewError extends Error {
  constructor(readonly refused: string) {
    super(`${refused} refused: ${TOP_OF_FUNNEL_ONLY}`)
    this.name = 'FunnelViewError'
  }
}

/** Refuses a `top` scope: for every query beyond the top of the funnel. */
export function requireFullView(scope: FunnelScope, refused: string): void {
  if (funnelView(scope) === 'top') throw new FunnelViewError(refused)
}

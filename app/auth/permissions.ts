import type { Role } from '#db/schema/people'

/**
 * What each role may do. Relationship-based access (a manager and their own teams, a participant
 * and their 1:1) is applied inside the queries; this table covers role-wide rights only.
 * Managers act on their own teams through that relationship: they create actions for, reply to
 * comments from, and receive signals about the teams they manage, without any org-wide right here.
 * funnel:org is the whole sales funnel of the organisation (every figure, per rep and team);
 * funnel:top is its top only, aggregated over the organisation (see ~/funnel/scope.server).
 */
export const permissionsByRole = {
  admin: ['people:read', 'people:write', 'people:erase', 'teams:read', 'teams:write', 'settings:write', 'outbox:read', 'api-keys:manage', 'audit:read', 'results:org', 'surveys:design', 'funnel:org', 'crm:import', 'marketing:view', 'one-on-ones:read', 'actions:read-org', 'actions:write-org', 'signals:org'],
  hr: ['people:read', 'teams:read', 'results:org', 'surveys:design', 'funnel:org', 'one-on-ones:health', 'one-on-ones:read', 'actions:read-org', 'actions:write-org', 'signals:org', 'comments:reply-org'],
  leader: ['teams:read', 'results:org', 'funnel:org', 'one-on-ones:health', 'one-on-ones:read', 'actions:read-org', 'signals:org'],
  // The top of the funnel only: leads, lead conversion by source and campaign, campaign ROI and
  // costs, organisation-wide and aggregated; never per-rep figures, quotas, targets or forecasts.
  marketing: ['funnel:top', 'marketing:view'],
  employee: [],
} as const satisfies Record<Role, readonly string[]>

export type Permission = (typeof permissionsByRole)[keyof typeof permissionsByRole][number]

export function roleCan(role: Role, permission: Permission): boolean {
  return (permissionsByRole[role] as readonly string[]).includes(permission)
}

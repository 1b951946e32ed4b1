import type { Role } from '#db/schema/people'

/**
 * What each role may do. Relationship-based access (a manager and their own teams, a participant
 * and their 1:1) is applied inside the queries; this table covers role-wide rights only.
 */
export const permissionsByRole = {
  admin: ['people:read', 'people:write', 'teams:read', 'teams:write', 'settings:write', 'outbox:read', 'api-keys:manage', 'audit:read', 'results:org', 'surveys:design', 'funnel:org', 'crm:import', 'marketing:view', 'one-on-ones:read'],
  hr: ['people:read', 'teams:read', 'results:org', 'surveys:design', 'funnel:org', 'one-on-ones:health', 'one-on-ones:read'],
  leader: ['teams:read', 'results:org', 'funnel:org', 'one-on-ones:health', 'one-on-ones:read'],
  marketing: ['funnel:org', 'marketing:view'],
  employee: [],
} as const satisfies Record<Role, readonly string[]>

export type Permission = (typeof permissionsByRole)[keyof typeof permissionsByRole][number]

export function roleCan(role: Role, permission: Permission): boolean {
  return (permissionsByRole[role] as readonly string[]).includes(permission)
}

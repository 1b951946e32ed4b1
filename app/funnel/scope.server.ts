import type { ScopeSubject } from '~/auth/scope.server'

/**
 * Who a funnel reader may see, by the one scope rule (~/auth/scope.server): the roles with
 * funnel:org see everyone; a manager sees the teams they manage with every sub-team plus their
 * direct reports; anyone else sees nobody. Every funnel query applies it inside the database.
 */
export type FunnelScope = ScopeSubject

/** The funnel's organisation-wide right, for the scope builders. */
export const funnelOrgRight = 'funnel:org'

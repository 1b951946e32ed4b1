import type { Role } from '#db/schema/people'
import { type Permission, roleCan } from '~/auth/permissions'
import type { Messages } from '~/i18n'

export type NavKey = keyof Messages['common']['nav']
type NavItem = { to: string; key: NavKey; when: (v: { role: Role; isManager: boolean }) => boolean }

const can = (p: Permission) => (v: { role: Role }) => roleCan(v.role, p)

/** The main navigation: each entry shows only to those who may open it (the routes check again). */
export const navItems: NavItem[] = [
  { to: '/', key: 'home', when: () => true },
  { to: '/me', key: 'me', when: () => true },
  { to: '/surveys', key: 'surveys', when: can('surveys:design') },
  { to: '/results', key: 'results', when: (v) => v.isManager || roleCan(v.role, 'results:org') },
  { to: '/funnel', key: 'funnel', when: (v) => v.isManager || roleCan(v.role, 'funnel:org') || roleCan(v.role, 'funnel:top') },
  { to: '/one-on-ones', key: 'oneOnOnes', when: (v) => v.isManager || roleCan(v.role, 'one-on-ones:health') },
  { to: '/signals', key: 'signals', when: (v) => v.isManager || roleCan(v.role, 'signals:org') },
  { to: '/actions', key: 'actions', when: (v) => v.isManager || roleCan(v.role, 'actions:read-org') },
  { to: '/imports', key: 'imports', when: can('crm:import') },
  { to: '/people', key: 'people', when: can('people:read') },
  { to: '/teams', key: 'teams', when: can('teams:read') },
  { to: '/org-chart', key: 'orgChart', when: can('teams:read') },
  { to: '/settings', key: 'settings', when: can('settings:write') },
  { to: '/settings/api-keys', key: 'apiKeys', when: can('api-keys:manage') },
  { to: '/outbox', key: 'outbox', when: can('outbox:read') },
  { to: '/audit', key: 'audit', when: can('audit:read') },
]

/**
 * The one schema of an action, shared by the new/edit forms (through Conform) and the domain
 * module, and the query of GET /api/v1/actions. Free of server imports: route components use it.
 */
import { z } from 'zod'
import type { Messages } from '~/i18n'
import { DRIVER_KEYS } from '~/responses/drivers'
import { KPI_KEYS } from './overlay'

/** The same list as db/schema/loop.ts actionStatuses, kept here so the browser bundle has no drizzle. */
export const actionStatuses = ['planned', 'in_progress', 'done'] as const

/** What an action aims to move on the sentiment side: a driver key or the eNPS. */
export const ACTION_MEASURES = ['enps', ...DRIVER_KEYS] as const
export type ActionMeasure = (typeof ACTION_MEASURES)[number]

export const IMPACT_UNITS = ['month', 'quarter'] as const
export const IMPACT_MAX_PERIODS = 6

const uuidField = (t: Messages, field: string) => z.uuid({ error: t.actions.errors.invalidId({ field }) })

/** Create and edit: the same fields; `signalId`, `source` and the survey/round come from the link that opened the form. */
export function actionFormSchema(t: Messages) {
  const f = t.actions.fields
  return z.object({
    title: z.string({ error: t.actions.errors.titleRequired }).trim().min(1, { error: t.actions.errors.titleRequired }).max(200, { error: t.actions.errors.titleRequired }),
    description: z.string().trim().max(4000, { error: t.actions.errors.descriptionTooLong }).optional().default(''),
    ownerId: uuidField(t, f.owner).optional(),
    /** Empty means the whole organisation (hr and admins only). */
    teamId: uuidField(t, f.team).optional(),
    driver: z.enum(ACTION_MEASURES, { error: t.actions.errors.driver({ accepted: ACTION_MEASURES.join(', ') }) }).optional(),
    kpi: z.enum(KPI_KEYS, { error: t.actions.errors.kpi({ accepted: KPI_KEYS.join(', ') }) }).optional(),
    dueOn: z
      .string({ error: t.actions.errors.dueOn })
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: t.actions.errors.dueOn })
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), { error: t.actions.errors.dueOn })
      .optional(),
    status: z.enum(actionStatuses, { error: t.actions.errors.status }).default('planned'),
    outcome: z.string().trim().max(1000, { error: t.actions.errors.outcomeTooLong }).optional().default(''),
    source: z.enum(['driver', 'enps', 'signal', 'manual']).optional().default('manual'),
    sourceSurveyId: uuidField(t, 'survey').optional(),
    sourceRoundId: uuidField(t, 'round').optional(),
    signalId: uuidField(t, 'signal').optional(),
  })
}

export type ActionInput = z.output<ReturnType<typeof actionFormSchema>>

/** The list filters of /actions (GET form): bad values fall back to "any". */
export const actionListFilterSchema = z.object({
  status: z.enum(actionStatuses).optional().catch(undefined),
  team: z.union([z.uuid(), z.literal('org')]).optional().catch(undefined),
  overdue: z
    .enum(['1', 'true'])
    .transform(() => true)
    .optional()
    .catch(undefined),
})

/** GET /api/v1/actions: every error names its parameter and what it accepts. */
export const actionsQuerySchema = z
  .object({
    status: z.enum(actionStatuses, { error: `status must be one of ${actionStatuses.join(', ')}` }).optional(),
    team: z.union([z.uuid(), z.literal('org')], { error: 'team must be a team id (a UUID, as listed by GET /api/v1/teams) or org for organisation-wide actions' }).optional(),
    overdue: z.enum(['true', 'false'], { error: 'overdue must be true or false' }).optional(),
    impact: z.enum(['true', 'false'], { error: 'impact must be true or false' }).optional(),
    unit: z.enum(IMPACT_UNITS, { error: 'unit must be month or quarter' }).default('month'),
    periods: z
      .string({ error: `periods must be a whole number from 1 to ${IMPACT_MAX_PERIODS}` })
      .regex(/^[1-6]$/, { error: `periods must be a whole number from 1 to ${IMPACT_MAX_PERIODS}` })
      .transform(Number)
      .default(3),
  })
  .strict()

/** The impact view's choice of period unit and how many periods to show on each side. */
export const impactQuerySchema = z.object({
  unit: z.enum(IMPACT_UNITS).catch('month'),
  periods: z.coerce.number().int().min(1).max(IMPACT_MAX_PERIODS).catch(3),
})

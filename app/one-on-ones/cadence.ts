import type { OneOnOneCadence } from '#db/schema/one-on-ones'

/**
 * The cadences as plain values for forms and pages (importing the schema module would pull
 * drizzle into the browser bundle). The type check below fails if the schema gains a cadence
 * this list lacks.
 */
export const cadenceOptions = ['weekly', 'biweekly', 'monthly'] as const satisfies readonly OneOnOneCadence[]
const _coversSchema: OneOnOneCadence extends (typeof cadenceOptions)[number] ? true : never = true
void _coversSchema

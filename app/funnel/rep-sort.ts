/** The columns the funnel dashboard's rep table can be sorted by (shared by the page and the server). */
export const repSortKeys = ['name', 'opportunitiesCreated', 'won', 'wonAmount', 'winRate', 'avgDealSize', 'salesCycleDaysMedian', 'pipelineValue', 'quotaAttainment'] as const
export type RepSortKey = (typeof repSortKeys)[number]

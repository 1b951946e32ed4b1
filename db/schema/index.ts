// One file per area; every table is exported from here for drizzle and drizzle-kit.
export * from './settings'
export * from './people'
export * from './auth'
export * from './audit'
export * from './email'
export * from './surveys'
export * from './crm'
export * from './one-on-ones'

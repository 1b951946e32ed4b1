/** CRM imports that run in the background. */
export const funnelJobs = {}

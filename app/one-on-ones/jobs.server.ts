/** 1:1 prep reminders and summaries. */
export const oneOnOneJobs = {}

/** Survey scheduling, sending, reminders and closing. */
export const surveyJobs = {}

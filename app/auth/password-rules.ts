/** Password length rules, shared by the form (client) and the server. */
export const passwordRules = { min: 10, max: 200 }

import type { Messages } from '~/i18n'
import type { WriteError } from './actions.server'

/** What a refused create/edit answers: the HTTP status and the message under the field concerned. */
export function writeErrorReply(t: Messages, error: WriteError | 'forbidden'): { status: number; fields: { fieldErrors?: Record<string, string[]>; formErrors?: string[] } } {
  const e = t.actions.errors
  switch (error) {
    case 'team_out_of_scope':
      return { status: 403, fields: { fieldErrors: { teamId: [e.teamOutOfScope] } } }
    case 'org_needs_hr':
      return { status: 403, fields: { fieldErrors: { teamId: [e.orgNeedsHr] } } }
    case 'unknown_team':
      return { status: 400, fields: { fieldErrors: { teamId: [e.invalidId({ field: t.actions.fields.team })] } } }
    case 'unknown_owner':
      return { status: 400, fields: { fieldErrors: { ownerId: [e.unknownOwner] } } }
    case 'unknown_source':
      return { status: 400, fields: { formErrors: [e.unknownSource] } }
    case 'signal_taken':
      return { status: 409, fields: { formErrors: [e.signalTaken] } }
    case 'forbidden':
      return { status: 403, fields: { formErrors: [e.teamOutOfScope] } }
    case 'not_found':
      return { status: 404, fields: {} }
  }
}

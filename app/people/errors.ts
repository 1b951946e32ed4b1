import type { Messages } from '~/i18n'
import type { BatchIssue } from './batch.server'
import type { PersonError } from './people.server'
import type { TeamError } from './teams.server'

/** The message shown under the field a person edit was refused for. */
export function personErrorMessage(t: Messages, error: PersonError): string {
  switch (error.code) {
    case 'emailTaken':
      return t.people.errors.emailTaken({ email: error.email })
    case 'cycle':
      return t.people.errors.cycle({ chain: error.chain.join(t.people.errors.reportsTo) })
    case 'selfManager':
      return t.people.errors.selfManager
    case 'unknownPerson':
      return t.people.errors.unknownPerson
    case 'unknownTeam':
      return t.people.errors.unknownTeam
    case 'ownRole':
      return t.people.errors.ownRole
  }
}

export function teamErrorMessage(t: Messages, error: TeamError): string {
  switch (error.code) {
    case 'nameTaken':
      return t.people.teams.nameTaken({ name: error.name })
    case 'cycle':
      return t.people.teams.cycle({ chain: error.chain.join(t.people.teams.isPartOf) })
    case 'unknownTeam':
      return t.people.errors.unknownTeam
    case 'unknownPerson':
      return t.people.errors.unknownPerson
  }
}

/** The message of a cross-item issue; `ref` turns an item index into what the reader knows (a CSV line). */
export function describeIssue(t: Messages, issue: BatchIssue, ref?: (index: number) => number): string {
  switch (issue.code) {
    case 'duplicate':
      return ref ? t.people.import.duplicateInFile({ email: issue.email, line: ref(issue.firstIndex) }) : t.people.errors.duplicateInBatch({ email: issue.email, index: issue.firstIndex })
    case 'unknownManager':
      return ref ? t.people.import.unknownManager({ value: issue.value }) : t.people.errors.unknownManager({ value: issue.value })
    case 'selfManager':
      return t.people.errors.selfManager
    case 'cycle':
      return t.people.errors.cycle({ chain: issue.chain.join(t.people.errors.reportsTo) })
  }
}

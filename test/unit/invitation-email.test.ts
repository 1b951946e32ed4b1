import { createElement } from 'react'
import { describe, expect, it } from 'vitest'
import { SurveyInvitationEmail, surveyInvitationSubject } from '#emails/survey-invitation'
import { randomToken } from '~/auth/tokens.server'
import { renderEmail } from '~/email/render.server'
import { privacyStatement } from '~/responses/privacy'
import { type SharedInvitationProps, renderInvitationEmail } from '~/surveys/invitation-email.server'

/** The filled-in template must be exactly the email a full render gives, for any name. */
const linkPrefix = 'http://pulseboard.test/s/'

const shared: SharedInvitationProps[] = [
  { locale: 'en', title: 'Weekly pulse', closesOn: '1 December 2026', privacy: privacyStatement('confidential', 'en', 5) },
  {
    locale: 'it',
    title: 'Pulse di <Roma> & "Milano"',
    closesOn: '1 dicembre 2026',
    privacy: privacyStatement('anonymous', 'it', 5),
    reminder: true,
    weDid: [
      { title: 'Meno riunioni <del> lunedì', outcome: "L'agenda & le note", status: 'done' },
      { title: 'CRM più semplice', outcome: '', status: 'in_progress' },
    ],
  },
]

const names = [
  'Giulia Rossi',
  "Seán O'Brien & <Sons> \"Ltd\"",
  'Zoë Ñandú-Kowalczyk 李雷 🙂',
  '<script>alert(1)</script>',
  '&amp; &lt;b&gt; &#x27;',
  'Dollar $& $1 $$ $` $\' name',
  'x'.repeat(300),
  'A',
  // Not plain: rendered in full, and so still the same.
  'Double  space',
  ' Leading space',
  'Tab\tname',
  'Line\nbreak',
  'Zero\u200bwidth',
  'Non\u00a0breaking',
  'Nul\u0000char',
]

describe('invitation email from a template', () => {
  for (const props of shared) {
    for (const name of names) {
      it(`${props.locale}${props.reminder ? ' reminder' : ''}: ${JSON.stringify(name).slice(0, 60)}`, async () => {
        const token = randomToken()
        const full = await renderEmail(createElement(SurveyInvitationEmail, { ...props, name, url: `${linkPrefix}${token}` }))
        const filled = await renderInvitationEmail(props, linkPrefix, { name, token })
        expect(filled).toEqual({ subject: surveyInvitationSubject(props), html: full.html, text: full.text })
      })
    }
  }

  it('gives each copy its own name and link from one shared template', async () => {
    const [a, b] = await Promise.all([
      renderInvitationEmail(shared[0], linkPrefix, { name: 'Anna Bianchi', token: 'a'.repeat(43) }),
      renderInvitationEmail(shared[0], linkPrefix, { name: 'Bruno Neri', token: 'b'.repeat(43) }),
    ])
    expect(a.text).toContain('Hi Anna Bianchi,')
    expect(a.text).toContain(`${linkPrefix}${'a'.repeat(43)}`)
    expect(a.text).not.toContain('Bruno')
    expect(b.text).toContain('Hi Bruno Neri,')
    expect(b.html).toContain(`href="${linkPrefix}${'b'.repeat(43)}"`)
    expect(b.html).not.toContain('a'.repeat(43))
  })
})

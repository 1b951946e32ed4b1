/**
 * The survey designer (/surveys/<id>): what it shows, and its intent table — each form's schema
 * (./designer-forms.ts, validated in the browser too) and what the form does.
 */
import type { AppContext } from '~/context'
import type { IntentTable } from '~/forms/intents'
import type { Messages } from '~/i18n'
import { getSettings } from '~/settings/settings.server'
import { type DesignForm, designerForms } from './designer-forms'
import { QUESTION_BANK, withOrgName } from './question-bank'
import { closeOpenRoundsNow, openRoundNow } from './rounds.server'
import { audienceChoices, changeSurveyStatus, getSurvey, listRounds, saveSurveyDesign } from './surveys.server'

/** The designer of a survey: the form filled in with its design, the preview, its rounds, the audience choices and the question bank. */
export async function loadDesignerPage(ctx: AppContext, surveyId: string) {
  const survey = await getSurvey(ctx.db, surveyId)
  if (!survey) return null
  const [rounds, choices, settings] = await Promise.all([listRounds(ctx.db, survey.id), audienceChoices(ctx.db), getSettings(ctx.db)])
  const audience = survey.audience
  const form: DesignForm = {
    intent: 'save',
    title: survey.title,
    kind: survey.kind,
    privacy: survey.privacy,
    cadence: survey.cadence,
    sendDay: String(survey.sendDay),
    sendTime: survey.sendTime,
    startsOn: survey.startsOn ?? '',
    responseWindowDays: String(survey.responseWindowDays),
    reminderDays: survey.reminderDays.join(', '),
    quietPeriods: survey.quietPeriods.map((q) => [q.from, q.to, q.label ?? ''].join(' ').trim()).join('\n'),
    audience: { type: audience.type, teamIds: audience.type === 'teams' ? audience.teamIds : [], personIds: audience.type === 'people' ? audience.personIds : [] },
    questions: survey.questions.map((q) => ({
      type: q.type,
      driver: q.driver ?? '',
      required: String(q.required),
      text: q.text,
      options: (q.options ?? []).map((o) => `${o.en} | ${o.it}`).join('\n'),
      bankKey: q.bankKey ?? '',
    })),
  }
  return {
    survey: { id: survey.id, title: survey.title, status: survey.status, privacy: survey.privacy, nextDueAt: survey.nextDueAt?.toISOString() ?? null },
    preview: survey.questions.map((q) => ({ position: q.position, type: q.type, required: q.required, text: q.text, options: q.options ?? undefined, scale: settings.enpsScale })),
    form,
    rounds,
    choices,
    bank: QUESTION_BANK.map((q) => ({ ...q, text: withOrgName(q.text, settings.orgName) })),
    timezone: settings.timezone,
    threshold: settings.thresholdScores,
  }
}

export type DesignerPageData = NonNullable<Awaited<ReturnType<typeof loadDesignerPage>>>

/** Who acts on which survey, and the messages of their language. */
export type DesignerInput = { ctx: AppContext; surveyId: string; viewerId: string; t: Messages }

/**
 * What a designer form did: `done` with the notice to show; `refused` with the reason (a status
 * change or a round the survey cannot take: the page's notice); `invalid` with the fields the
 * database refused (the audience); `ended` for a design saved after the survey ended.
 */
export type DesignerOutcome =
  | { status: 'done'; notice: 'saved' | 'status' | 'round' | 'closed' }
  | { status: 'not-found' }
  | { status: 'refused'; message: string }
  | { status: 'invalid'; fieldErrors: Record<string, string[]> }
  | { status: 'ended' }

export const designerIntents: IntentTable<typeof designerForms, DesignerInput, DesignerOutcome> = {
  save: {
    schema: designerForms.save,
    handle: async ({ ctx, surveyId, viewerId, t }, { intent: _intent, ...design }) => {
      const saved = await saveSurveyDesign(ctx.db, design, { surveyId, createdById: viewerId, messages: t.surveys.errors })
      if (saved.ok) return { status: 'done', notice: 'saved' }
      if ('problems' in saved) return { status: 'invalid', fieldErrors: Object.fromEntries(saved.problems.map((p) => [p.field, [p.message]])) }
      return saved.reason === 'not-found' ? { status: 'not-found' } : { status: 'ended' }
    },
  },
  status: {
    schema: designerForms.status,
    handle: async ({ ctx, surveyId, t }, { change }) => {
      const outcome = await changeSurveyStatus(ctx.db, surveyId, change)
      if (outcome === 'not-found') return { status: 'not-found' }
      // A schedule without questions cannot start (nor resume).
      if (outcome === 'not-allowed') return { status: 'refused', message: t.surveys.errors.noQuestions }
      return { status: 'done', notice: 'status' }
    },
  },
  'send-now': {
    schema: designerForms['send-now'],
    handle: async ({ ctx, surveyId, t }) => {
      const outcome = await openRoundNow(ctx, surveyId)
      if (outcome.ok) return { status: 'done', notice: 'round' }
      if (outcome.reason === 'not-found') return { status: 'not-found' }
      return { status: 'refused', message: outcome.reason === 'ended' ? t.surveys.errors.ended : t.surveys.errors.noQuestions }
    },
  },
  'close-round': {
    schema: designerForms['close-round'],
    handle: async ({ ctx, surveyId, viewerId, t }) => {
      const outcome = await closeOpenRoundsNow(ctx, surveyId, { actorId: viewerId })
      if (outcome.ok) return { status: 'done', notice: 'closed' }
      if (outcome.reason === 'not-found') return { status: 'not-found' }
      return { status: 'refused', message: t.surveys.designer.noOpenRound }
    },
  },
}

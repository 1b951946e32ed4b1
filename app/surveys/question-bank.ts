/**
 * The question bank and the survey templates. Keys are stable: imported history and results refer
 * to them, so a key is never renamed or reused for a different question.
 */
import { z } from 'zod'
import type { Bilingual, QuestionType } from '#db/schema/surveys'
import type { DriverKey } from '~/responses/drivers'

export type BankQuestion = { key: string; type: QuestionType; driver: DriverKey | null; required: boolean; text: Bilingual; options?: Bilingual[] }

/** "{org}" is replaced with the organisation's name when a survey is built from the bank. */
export const ENPS_QUESTION: BankQuestion = {
  key: 'enps',
  type: 'enps',
  driver: null,
  required: true,
  text: { en: 'How likely is it that you would recommend {org} as a place to work?', it: 'Quanto consiglieresti {org} come posto di lavoro?' },
}

export const ENPS_REASON_QUESTION: BankQuestion = {
  key: 'enps_reason',
  type: 'text',
  driver: null,
  required: false,
  text: { en: 'What is the main reason for your score?', it: 'Qual è il motivo principale del tuo punteggio?' },
}

const agree = (key: string, driver: DriverKey, en: string, it: string): BankQuestion => ({ key, type: 'agreement', driver, required: true, text: { en, it } })

export const QUESTION_BANK: readonly BankQuestion[] = [
  ENPS_QUESTION,
  ENPS_REASON_QUESTION,
  agree('engagement_proud', 'engagement', 'I am proud to work for {org}.', 'Sono orgoglioso/a di lavorare per {org}.'),
  agree('engagement_motivated', 'engagement', 'I feel motivated to go beyond what is expected of me.', 'Mi sento motivato/a ad andare oltre quello che mi viene chiesto.'),
  agree('engagement_stay', 'engagement', 'I see myself still working here in two years’ time.', 'Mi vedo ancora qui tra due anni.'),
  agree('recognition_valued', 'recognition', 'When I do great work, it is recognised.', 'Quando lavoro bene, mi viene riconosciuto.'),
  agree('recognition_wins', 'recognition', 'Team wins are celebrated, not only the biggest deals.', 'I successi del team vengono celebrati, non solo i contratti più grandi.'),
  agree('recognition_peers', 'recognition', 'My colleagues appreciate my contribution.', 'I miei colleghi apprezzano il mio contributo.'),
  agree('workload_manageable', 'workload', 'My workload is manageable.', 'Il mio carico di lavoro è gestibile.'),
  agree('workload_focus', 'workload', 'I have enough time to focus on selling.', 'Ho abbastanza tempo per concentrarmi sulla vendita.'),
  agree('workload_hours', 'workload', 'I can do my job well without regularly working late.', 'Riesco a lavorare bene senza fermarmi spesso oltre l’orario.'),
  agree('tools_crm_helps', 'tools_crm', 'Our CRM helps me sell rather than slowing me down.', 'Il nostro CRM mi aiuta a vendere invece di rallentarmi.'),
  agree('tools_crm_data', 'tools_crm', 'I trust the data I find in the CRM.', 'Mi fido dei dati che trovo nel CRM.'),
  agree('tools_have_what_needed', 'tools_crm', 'I have the tools I need to do my job well.', 'Ho gli strumenti che mi servono per lavorare bene.'),
  agree('manager_support_coaching', 'manager_support', 'My manager coaches me to close more deals.', 'Il mio responsabile mi aiuta a chiudere più contratti.'),
  agree('manager_support_available', 'manager_support', 'My manager is available when I need help.', 'Il mio responsabile è disponibile quando ho bisogno di aiuto.'),
  agree('manager_support_feedback', 'manager_support', 'I get useful feedback on my work regularly.', 'Ricevo regolarmente feedback utili sul mio lavoro.'),
  agree('growth_learning', 'growth', 'I am learning and growing in my role.', 'Sto imparando e crescendo nel mio ruolo.'),
  agree('growth_path', 'growth', 'I can see a clear path for my career here.', 'Qui vedo un percorso di carriera chiaro.'),
  agree('growth_training', 'growth', 'I get the training I need to improve my selling.', 'Ricevo la formazione che mi serve per vendere meglio.'),
  agree('wellbeing_energy', 'wellbeing', 'I have the energy I need at the end of the working day.', 'A fine giornata ho ancora energie.'),
  agree('wellbeing_pressure', 'wellbeing', 'The pressure of targets is healthy, not overwhelming.', 'La pressione degli obiettivi è sana, non opprimente.'),
  agree('wellbeing_disconnect', 'wellbeing', 'I can disconnect from work outside working hours.', 'Riesco a staccare dal lavoro fuori dall’orario.'),
  agree('quota_fairness_achievable', 'quota_fairness', 'My quota is achievable.', 'Il mio obiettivo di vendita è raggiungibile.'),
  agree('quota_fairness_territory', 'quota_fairness', 'Territories and accounts are assigned fairly.', 'Territori e clienti sono assegnati in modo equo.'),
  agree('quota_fairness_explained', 'quota_fairness', 'I understand how my quota was set.', 'Capisco come è stato definito il mio obiettivo.'),
  agree('comp_plan_understand', 'comp_plan_clarity', 'I understand how my commission is calculated.', 'Capisco come vengono calcolate le mie provvigioni.'),
  agree('comp_plan_predict', 'comp_plan_clarity', 'I can predict my pay for this period from my deals.', 'Dai miei contratti riesco a prevedere quanto guadagnerò in questo periodo.'),
  agree('comp_plan_paid_right', 'comp_plan_clarity', 'My commission is paid correctly and on time.', 'Le mie provvigioni vengono pagate correttamente e puntualmente.'),
  agree('lead_quality_good', 'lead_quality', 'The leads I receive are worth my time.', 'I lead che ricevo meritano il mio tempo.'),
  agree('lead_quality_enough', 'lead_quality', 'I get enough leads to reach my target.', 'Ricevo abbastanza lead per raggiungere il mio obiettivo.'),
  agree('lead_quality_marketing', 'lead_quality', 'Marketing and sales work well together on leads.', 'Marketing e vendite collaborano bene sui lead.'),
  agree('admin_burden_low', 'admin_burden', 'Admin tasks take little of my selling time.', 'Le attività amministrative mi tolgono poco tempo alla vendita.'),
  agree('admin_burden_reporting', 'admin_burden', 'Reporting asks of me only what is useful.', 'La reportistica mi chiede solo ciò che è utile.'),
  agree('admin_burden_approvals', 'admin_burden', 'Quotes and discounts get approved quickly.', 'Preventivi e sconti vengono approvati rapidamente.'),
  {
    key: 'overall_week_rating',
    type: 'rating',
    driver: 'engagement',
    required: false,
    text: { en: 'How was your week at work, from 1 to 10?', it: 'Com’è andata la tua settimana di lavoro, da 1 a 10?' },
  },
  {
    key: 'biggest_blocker',
    type: 'choice',
    driver: 'admin_burden',
    required: false,
    text: { en: 'What slowed you down most this week?', it: 'Cosa ti ha rallentato di più questa settimana?' },
    options: [
      { en: 'Admin and reporting', it: 'Amministrazione e reportistica' },
      { en: 'The CRM and tools', it: 'Il CRM e gli strumenti' },
      { en: 'Lead quality', it: 'La qualità dei lead' },
      { en: 'Internal approvals', it: 'Le approvazioni interne' },
      { en: 'Nothing in particular', it: 'Niente in particolare' },
    ],
  },
  {
    key: 'one_change',
    type: 'text',
    driver: null,
    required: false,
    text: { en: 'What one change would help you most right now?', it: 'Quale cambiamento ti aiuterebbe di più in questo momento?' },
  },
]

export function bankQuestion(key: string): BankQuestion | undefined {
  return QUESTION_BANK.find((q) => q.key === key)
}

export const TEMPLATE_KEYS = ['weekly_pulse', 'monthly_enps', 'quarterly_engagement'] as const
export type TemplateKey = (typeof TEMPLATE_KEYS)[number]

export type SurveyTemplate = {
  key: TemplateKey
  kind: 'pulse' | 'enps'
  cadence: 'weekly' | 'monthly' | 'quarterly'
  title: Bilingual
  questionKeys: string[]
}

export const TEMPLATES: Record<TemplateKey, SurveyTemplate> = {
  weekly_pulse: {
    key: 'weekly_pulse',
    kind: 'pulse',
    cadence: 'weekly',
    title: { en: 'Weekly pulse', it: 'Pulse settimanale' },
    questionKeys: ['workload_manageable', 'manager_support_coaching', 'lead_quality_good', 'admin_burden_low', 'one_change'],
  },
  monthly_enps: {
    key: 'monthly_enps',
    kind: 'enps',
    cadence: 'monthly',
    title: { en: 'Monthly eNPS', it: 'eNPS mensile' },
    questionKeys: ['enps', 'enps_reason'],
  },
  quarterly_engagement: {
    key: 'quarterly_engagement',
    kind: 'pulse',
    cadence: 'quarterly',
    title: { en: 'Quarterly engagement survey', it: 'Sondaggio trimestrale sul coinvolgimento' },
    questionKeys: [
      'engagement_proud',
      'recognition_valued',
      'workload_manageable',
      'tools_crm_helps',
      'manager_support_feedback',
      'growth_path',
      'wellbeing_pressure',
      'quota_fairness_achievable',
      'comp_plan_understand',
      'lead_quality_good',
    ],
  },
}

/** Replaces "{org}" in a bilingual text with the organisation's name. */
/** The templates as the new-survey page lists them: kind, cadence, title and the text of each question. */
export function templateSummaries() {
  return TEMPLATE_KEYS.map((key) => ({ key, kind: TEMPLATES[key].kind, cadence: TEMPLATES[key].cadence, title: TEMPLATES[key].title, questions: TEMPLATES[key].questionKeys.map((k) => bankQuestion(k)!.text) }))
}

/** The new-survey page's form: a template, or a blank survey. */
export const newSurveySchema = z.object({ template: z.enum([...TEMPLATE_KEYS, 'blank']) })

export function withOrgName(text: Bilingual, orgName: string): Bilingual {
  return { en: text.en.replaceAll('{org}', orgName), it: text.it.replaceAll('{org}', orgName) }
}

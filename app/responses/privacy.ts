/**
 * What each privacy mode means, in plain words, as respondents read it in the invitation email and
 * above the first question (docs/privacy.md). One text per mode and language, used everywhere.
 */
import type { PrivacyMode } from '#db/schema/surveys'
import type { Locale } from '~/i18n/locale'
import { DEFAULT_THRESHOLDS } from './anonymity'

export type PrivacyStatement = { title: string; body: string }

export const PRIVACY_STATEMENTS: Readonly<Record<PrivacyMode, Readonly<Record<Locale, PrivacyStatement>>>> = {
  anonymous: {
    en: {
      title: 'This survey is anonymous',
      body: 'Your answers are stored without your name or any link to you: only your team and the day you answered are kept. Nobody, not even HR, can see who said what, and results are shown only for groups of at least {threshold} people.',
    },
    it: {
      title: 'Questo sondaggio è anonimo',
      body: 'Le tue risposte vengono salvate senza il tuo nome e senza alcun collegamento a te: restano solo il tuo team e il giorno in cui hai risposto. Nessuno, nemmeno le Risorse Umane, può vedere chi ha risposto cosa, e i risultati sono mostrati solo per gruppi di almeno {threshold} persone.',
    },
  },
  confidential: {
    en: {
      title: 'This survey is confidential',
      body: 'Your answers are linked to you so that trends can be followed over time, but nobody sees your individual answers. Your manager, HR and leadership see only totals for groups of at least {threshold} people.',
    },
    it: {
      title: 'Questo sondaggio è riservato',
      body: 'Le tue risposte sono collegate a te per seguire l’andamento nel tempo, ma nessuno vede le tue singole risposte. Il tuo responsabile, le Risorse Umane e la direzione vedono solo i totali di gruppi di almeno {threshold} persone.',
    },
  },
  identified: {
    en: {
      title: 'This survey is not anonymous',
      body: 'HR, leadership and your manager will see your name next to your answers.',
    },
    it: {
      title: 'Questo sondaggio non è anonimo',
      body: 'Le Risorse Umane, la direzione e il tuo responsabile vedranno il tuo nome accanto alle tue risposte.',
    },
  },
}

/** The statement of a mode, naming the round's scores threshold (frozen at launch), else the default. */
export function privacyStatement(mode: PrivacyMode, locale: Locale, threshold: number = DEFAULT_THRESHOLDS.thresholdScores): PrivacyStatement {
  const s = PRIVACY_STATEMENTS[mode][locale]
  return { title: s.title, body: s.body.replaceAll('{threshold}', String(threshold)) }
}

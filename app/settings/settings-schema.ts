import { z } from 'zod'
import type { Messages } from '~/i18n'
import { type ThresholdMessages, commentsCoverScores, thresholdField } from '~/responses/anonymity'

export function isTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

const currencies = new Set(Intl.supportedValuesOf('currency'))

/** The form says one thing for any out-of-range threshold: the range. */
const thresholdMessages = (t: Messages): ThresholdMessages => {
  const range = t.admin.settings.thresholdRange
  return { notNumber: range, notWhole: range, tooLow: range, tooHigh: range }
}

/** The settings form and its rules: the thresholds follow the anonymity rules (~/responses/anonymity, docs/privacy.md). */
export const settingsSchema = (t: Messages) =>
  z
    .object({
      orgName: z.string({ error: t.admin.settings.nameRequired }).trim().min(1, { error: t.admin.settings.nameRequired }).max(120),
      defaultLocale: z.enum(['en', 'it']),
      timezone: z.string({ error: t.admin.settings.invalidTimezone }).trim().refine(isTimeZone, { error: t.admin.settings.invalidTimezone }),
      currency: z
        .string({ error: t.admin.settings.invalidCurrency })
        .trim()
        .toUpperCase()
        .refine((c) => /^[A-Z]{3}$/.test(c) && currencies.has(c), { error: t.admin.settings.invalidCurrency }),
      enpsScale: z.enum(['1-10', '0-10']),
      thresholdScores: thresholdField(thresholdMessages(t), 'form'),
      thresholdComments: thresholdField(thresholdMessages(t), 'form'),
      winRateConvention: z.enum(['closed', 'created']),
      // Empty = keep everything (off, the default): stored as null.
      retentionMonths: z.coerce
        .number({ error: t.dataProtection.retention.range })
        .int({ error: t.dataProtection.retention.range })
        .min(6, { error: t.dataProtection.retention.range })
        .max(120, { error: t.dataProtection.retention.range })
        .optional()
        .transform((v) => v ?? null),
      // Signal thresholds: left out (or empty), the current value stays.
      signalEnpsDrop: z.coerce.number({ error: t.signals.settings.enpsDropRange }).int({ error: t.signals.settings.enpsDropRange }).min(1, { error: t.signals.settings.enpsDropRange }).max(200, { error: t.signals.settings.enpsDropRange }).optional(),
      signalKpiDropPct: z.coerce.number({ error: t.signals.settings.kpiDropPctRange }).int({ error: t.signals.settings.kpiDropPctRange }).min(1, { error: t.signals.settings.kpiDropPctRange }).max(100, { error: t.signals.settings.kpiDropPctRange }).optional(),
      signalResponseRateDrop: z.coerce.number({ error: t.signals.settings.responseRateDropRange }).int({ error: t.signals.settings.responseRateDropRange }).min(1, { error: t.signals.settings.responseRateDropRange }).max(100, { error: t.signals.settings.responseRateDropRange }).optional(),
    })
    .refine(commentsCoverScores, { path: ['thresholdComments'], error: t.admin.settings.commentsBelowScores })

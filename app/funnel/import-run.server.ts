/**
 * A CRM import's page (/imports/<id>): the run with its progress, mapping step, preview and
 * rejections, and its intent table — the mapping form and the commit button.
 */
import type { AppContext } from '~/context'
import type { IntentTable } from '~/forms/intents'
import type { Messages } from '~/i18n'
import { localisedReason } from './csv/reasons'
import { ImportStateError, getImportRunPage, requestCommit, saveImportMapping } from './import.server'
import { importRunForms } from './import-run-forms'

/** The run's page with its rejections' reasons in the viewer's language (older rows, stored without a code: as stored). */
export async function loadImportRunPage(ctx: AppContext, input: { runId: string; page: number; t: Messages }) {
  const run = await getImportRunPage(ctx.db, input.runId, input.page)
  if (!run) return null
  const reasons = input.t.funnel.imports.reasons
  const rows = run.rejections.rows.map((r) => ({ line: r.line, reason: localisedReason(reasons, r) }))
  return { ...run, rejections: { ...run.rejections, rows } }
}

export type ImportRunPageData = NonNullable<Awaited<ReturnType<typeof loadImportRunPage>>>

/** 'not-waiting': the run is not at the step the form belongs to (mapped or committed meanwhile). */
export type ImportRunOutcome = 'ok' | 'not-waiting'

async function unlessNotWaiting(work: Promise<void>): Promise<ImportRunOutcome> {
  try {
    await work
    return 'ok'
  } catch (error) {
    if (error instanceof ImportStateError) return 'not-waiting'
    throw error
  }
}

export const importRunIntents: IntentTable<typeof importRunForms, { ctx: AppContext; runId: string }, ImportRunOutcome> = {
  commit: { schema: importRunForms.commit, handle: ({ ctx, runId }) => unlessNotWaiting(requestCommit(ctx, runId)) },
  map: { schema: importRunForms.map, handle: ({ ctx, runId }, v) => unlessNotWaiting(saveImportMapping(ctx, runId, v.map)) },
}

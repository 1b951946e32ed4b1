import { z } from 'zod'
import type { Messages } from '~/i18n'

/**
 * A screen with several forms posts each one with an `intent` naming it. Its domain module keeps
 * an intent table: intent name → the form's zod schema → the handler that does it. The schemas
 * live in a module the browser may load too (each form validates with its own schema there); the
 * table, with its handlers, in the domain's server module.
 */
export type FormSchema = (t: Messages) => z.ZodType<{ intent: string }>

/** One row of an intent table: the form's schema, and its handler given the value the schema parsed. */
export type IntentRow<S extends FormSchema, Input, R> = {
  schema: S
  handle(input: Input, value: z.output<ReturnType<S>>): Promise<R>
}

/** A table with a row for each schema of `Schemas` (a record intent → schema). */
export type IntentTable<Schemas extends Record<string, FormSchema>, Input, R> = { [K in keyof Schemas]: IntentRow<Schemas[K], Input, R> }

type AnyRow = { schema: FormSchema; handle(input: never, value: never): Promise<unknown> }

/** The value any row of a table parses: one member per intent. */
export type IntentValue<Table extends Record<string, AnyRow>> = { [K in keyof Table]: z.output<ReturnType<Table[K]['schema']>> }[keyof Table]

/** Every form of a table as one schema, for the action: the posted `intent` picks the form. */
export function intentSchema<Table extends Record<string, AnyRow>>(table: Table, t: Messages): z.ZodType<IntentValue<Table>> {
  const options = Object.values(table).map((row) => row.schema(t))
  // Each row's schema is an object with a literal intent; zod's tuple type cannot be built from a record.
  return z.discriminatedUnion('intent', options as unknown as [z.ZodObject<{ intent: z.ZodLiteral<string> }>]) as unknown as z.ZodType<IntentValue<Table>>
}

/** Runs the handler of the value's intent: the domain call of the screen's action. */
export function runIntent<Table extends Record<string, AnyRow>>(
  table: Table,
  input: Parameters<Table[keyof Table]['handle']>[0],
  value: IntentValue<Table>,
): ReturnType<Table[keyof Table]['handle']> {
  // TypeScript cannot tie a union's member to the row of its intent; the table's type does.
  const row = table[value.intent as keyof Table] as unknown as { handle: (input: unknown, value: unknown) => ReturnType<Table[keyof Table]['handle']> }
  return row.handle(input, value)
}

/** The intent a post named, when it is one of the table's: a refusal is shown on that form. */
export function postedIntent<Table extends Record<string, unknown>>(table: Table, payload: Record<string, unknown> | undefined): (keyof Table & string) | null {
  const intent = payload?.intent
  return typeof intent === 'string' && Object.hasOwn(table, intent) ? intent : null
}

import { type DefaultValue, type Submission, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { z } from 'zod'

type Validate = 'onSubmit' | 'onBlur' | 'onInput'

/**
 * The one form hook of the screens: a Conform form validated in the browser by the same zod schema
 * the action parses with, showing the action's last reply (`lastResult`) when there is one. Fields
 * are validated when they lose focus unless `shouldValidate` says otherwise.
 *
 * `Shape` is the form as the browser posts it; it defaults to the schema's input, and is given
 * where that input is `unknown` (schemas whose preprocessors take both form strings and API JSON).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Conform's own constraint on a form's shape
type FormShape = Record<string, any>

export function useZodForm<Schema extends z.ZodType, Shape extends FormShape = z.input<Schema> extends FormShape ? z.input<Schema> : FormShape>(
  schema: Schema,
  options: {
    id: string
    lastResult?: SubmissionResult<string[]> | null
    defaultValue?: DefaultValue<NoInfer<Shape>>
    shouldValidate?: Validate
    shouldRevalidate?: Validate
  },
) {
  return useForm<Shape, z.output<Schema>>({
    id: options.id,
    lastResult: options.lastResult,
    defaultValue: options.defaultValue,
    // parseWithZod's submission is typed by the schema's input; Shape is that input or, where the
    // input is `unknown`, the shape the browser posts.
    onValidate: ({ formData }) => parseWithZod(formData, { schema }) as unknown as Submission<Shape, string[], z.output<Schema>>,
    shouldValidate: options.shouldValidate ?? 'onBlur',
    shouldRevalidate: options.shouldRevalidate,
  })
}

import { type SubmissionResult, getFormProps } from '@conform-to/react'
import { Form } from '@remix-run/react'
import type { Locale } from '~/i18n/locale'
import { useT } from '~/i18n/use-t'
import { FormErrors, TextareaField } from '~/ui/fields'
import { Button } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'
import { REPLY_MAX_LENGTH, replySchema } from './reply-schema'
import { ReplyList } from './reply-list'
import type { CommentThreads } from './types'

/** What the results page's reply action answers when it refuses: the reference it was sent and why. */
export type ReplyActionData = { ref: string; result: SubmissionResult<string[]> }

/**
 * The comments of the results page, each with its replies and, for those who may reply, a reply
 * form in a disclosure (plain HTML: works without JavaScript). The form names the comment by its
 * opaque reference only.
 */
export function CommentThreadsList(props: { locale: Locale; threads: CommentThreads; actionData?: ReplyActionData; timeZone?: string }) {
  return (
    <ul className="grid gap-2">
      {props.threads.items.map((thread, i) => (
        <li key={thread.ref} className="rounded-md bg-slate-50 p-3 text-sm">
          <p className="whitespace-pre-wrap break-words">{thread.text}</p>
          <ReplyList locale={props.locale} replies={thread.replies} timeZone={props.timeZone} />
          {props.threads.canReply ? (
            <ReplyForm index={i} reference={thread.ref} lastResult={props.actionData?.ref === thread.ref ? props.actionData.result : undefined} />
          ) : null}
        </li>
      ))}
    </ul>
  )
}

function ReplyForm(props: { index: number; reference: string; lastResult?: SubmissionResult<string[]> }) {
  const t = useT()
  const [form, fields] = useZodForm(replySchema(t), { id: `reply-${props.index}`, lastResult: props.lastResult, shouldValidate: 'onBlur' })
  return (
    <details className="mt-2" open={props.lastResult ? true : undefined}>
      <summary className="cursor-pointer text-sm font-semibold text-brand-700">{t.replies.reply}</summary>
      <Form method="post" className="mt-2" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="reply" />
        <input type="hidden" name="ref" value={props.reference} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextareaField field={fields.body} label={t.replies.replyLabel} hint={`${t.replies.replyHint} (≤ ${REPLY_MAX_LENGTH})`} rows={3} />
        <Button>{t.replies.send}</Button>
      </Form>
    </details>
  )
}

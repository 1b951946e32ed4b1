import Markdown, { defaultUrlTransform } from 'react-markdown'

/**
 * Only these URL schemes survive in links and images; anything else (javascript:, data:, vbscript:)
 * becomes an empty href. react-markdown's default already drops script-capable schemes; the list
 * here says exactly what we accept.
 */
const SAFE_URL = /^(https?:|mailto:|#|\/(?!\/))/i

export function safeUrl(url: string): string {
  const cleaned = defaultUrlTransform(url.trim())
  return SAFE_URL.test(cleaned) ? cleaned : ''
}

/**
 * Shared 1:1 notes as markdown. No rehype-raw: raw HTML in the source (a <script>, an <img
 * onerror=…>) is never turned into elements, and react escapes it as text (skipHtml drops it).
 */
export function SafeMarkdown(props: { source: string }) {
  return (
    <div className="prose prose-slate max-w-none text-sm [&_a]:text-brand-700 [&_a]:underline [&_li]:ml-5 [&_ol]:list-decimal [&_p]:mb-2 [&_ul]:list-disc">
      <Markdown skipHtml urlTransform={safeUrl} components={{ a: ({ node: _node, ...props }) => <a {...props} rel="nofollow noopener noreferrer" /> }}>
        {props.source}
      </Markdown>
    </div>
  )
}

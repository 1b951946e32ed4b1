import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { SafeMarkdown, safeUrl } from '~/one-on-ones/markdown'

const render = (source: string) => renderToStaticMarkup(createElement(SafeMarkdown, { source }))

describe('shared notes markdown is rendered inert', () => {
  it('renders ordinary markdown', () => {
    const html = render('## Outcome\n\n- **renewals** first\n- [CRM](https://crm.example.com/x)')
    expect(html).toContain('<h2>Outcome</h2>')
    expect(html).toContain('<strong>renewals</strong>')
    expect(html).toContain('<a href="https://crm.example.com/x" rel="nofollow noopener noreferrer">CRM</a>')
  })

  it('never renders a <script> element', () => {
    const html = render('Hello <script>alert("x")</script>\n\n<script src="https://evil.example/x.js"></script>')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('Hello')
  })

  it('never renders an onerror= (or any on*) attribute', () => {
    const html = render('<img src=x onerror="alert(1)">\n\nText <b onmouseover="alert(2)">bold</b>\n\n![pic](x" onerror="alert(3))')
    expect(html).not.toMatch(/<img[^>]*onerror/i)
    // No element carries an event-handler attribute; the attempt survives only as escaped text.
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i)
    expect(html).toContain('onerror=&quot;alert(3)')
    expect(html).not.toMatch(/<b[\s>]/i)
  })

  it('drops javascript:, data: and vbscript: links', () => {
    const html = render('[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox) [JS](JaVaScRiPt:alert(1))')
    expect(html).not.toMatch(/javascript:/i)
    expect(html).not.toMatch(/data:text/i)
    expect(html).not.toMatch(/vbscript:/i)
    expect(safeUrl('javascript:alert(1)')).toBe('')
    expect(safeUrl('  JAVASCRIPT:alert(1)')).toBe('')
    expect(safeUrl('//evil.example')).toBe('')
    expect(safeUrl('https://ok.example')).toBe('https://ok.example')
    expect(safeUrl('mailto:a@b.example')).toBe('mailto:a@b.example')
    expect(safeUrl('/one-on-ones')).toBe('/one-on-ones')
  })
})

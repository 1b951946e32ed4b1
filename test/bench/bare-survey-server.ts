/**
 * Baseline for the survey page: a bare node:http + postgres.js handler doing the same database work
 * as /s/<token> — look the token's hash up, and on POST mark the invitation answered, insert the
 * response and its answers in one transaction — with none of the framework (no Remix, React,
 * sessions, validation library, i18n or security headers).
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import postgres from 'postgres'

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} })
const port = Number(process.env.PORT)

type Found = { id: string; responded_at: Date | null; questions: { id: string; position: number; type: string; driver: string | null }[] }

async function find(token: string): Promise<Found | undefined> {
  const hash = createHash('sha256').update(token).digest('hex')
  const [row] = await sql<Found[]>`select i.id, i.responded_at, r.questions from invitations i join survey_rounds r on r.id = i.round_id where i.token_hash = ${hash}`
  return row
}

const server = createServer(async (req, res) => {
  try {
    if (req.url === '/readyz') return void res.end('ok')
    const token = decodeURIComponent((req.url ?? '').split('/')[2] ?? '')
    if (req.method === 'GET') {
      const found = await find(token)
      if (!found) return void res.writeHead(404).end('not found')
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end(`<!doctype html><form method="post">${found.questions.map((q) => `<input name="q${q.position}">`).join('')}<button>Send</button></form>`)
    }
    let body = ''
    for await (const chunk of req) body += chunk
    const form = new URLSearchParams(body)
    const found = await find(token)
    if (!found) return void res.writeHead(404).end('not found')
    await sql.begin(async (tx) => {
      const [won] = await tx<{ person_id: string; team_id: string; survey_id: string; round_id: string }[]>`
        update invitations i set responded_at = now() from survey_rounds r, people p
        where i.id = ${found.id} and i.responded_at is null and r.id = i.round_id and p.id = i.person_id
        returning i.person_id, p.team_id, r.survey_id, r.id as round_id`
      if (!won) return
      const [response] = await tx<{ id: string }[]>`
        insert into responses (survey_id, round_id, person_id, invitation_id, team_id, submitted_on)
        values (${won.survey_id}, ${won.round_id}, ${won.person_id}, ${found.id}, ${won.team_id}, current_date) returning id`
      const rows = found.questions
        .filter((q) => form.get(`q${q.position}`))
        .map((q) => ({ response_id: response.id, question_key: q.id, type: q.type, driver: q.driver, value_number: q.type === 'text' ? null : Number(form.get(`q${q.position}`)), value_text: q.type === 'text' ? form.get(`q${q.position}`) : null }))
      if (rows.length) await tx`insert into answers ${tx(rows)}`
    })
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><p>Thank you</p>')
  } catch (error) {
    res.writeHead(500).end(String(error))
  }
})
server.listen(port, '127.0.0.1')
process.on('SIGTERM', () => {
  server.close()
  void sql.end({ timeout: 2 }).then(() => process.exit(0))
})

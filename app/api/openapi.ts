import { z } from 'zod'

/** One endpoint of /api/v1, described by the same zod schemas the route validates with. */
export type Endpoint = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  path: string
  summary: string
  /** The permission the key's role needs, or several of which any one will do. */
  permission: string | readonly string[]
  query?: z.ZodType
  body?: z.ZodType
  response: z.ZodType
  tags: string[]
}

export function defineEndpoint<const E extends Endpoint>(endpoint: E): E {
  return endpoint
}

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
})

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' })

/** The OpenAPI 3.1 document served at /api/v1/openapi.json. */
export function buildOpenApi(endpoints: Endpoint[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const e of endpoints) {
    const parameters = e.query
      ? Object.entries((json(e.query, 'input') as { properties?: Record<string, unknown>; required?: string[] }).properties ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: ((json(e.query!, 'input') as { required?: string[] }).required ?? []).includes(name),
          schema,
        }))
      : []
    const pathParams = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }))
    paths[e.path] ??= {}
    paths[e.path][e.method] = {
      summary: e.summary,
      tags: e.tags,
      description: `Requires an API key whose role has the ${(typeof e.permission === 'string' ? [e.permission] : e.permission).map((p) => `\`${p}\``).join(' or the ')} permission.`,
      security: [{ bearer: [] }],
      parameters: [...pathParams, ...parameters],
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(e.body, 'input') } } } } : {}),
      responses: {
        200: { description: 'Success', content: { 'application/json': { schema: json(e.response, 'output') } } },
        400: { description: 'Invalid input; nothing was written', content: { 'application/json': { schema: json(errorSchema, 'output') } } },
        401: { description: 'Missing or unknown API key', content: { 'application/json': { schema: json(errorSchema, 'output') } } },
        403: { description: 'The key’s role lacks the permission', content: { 'application/json': { schema: json(errorSchema, 'output') } } },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Pulseboard API', version: '1.0.0', description: 'Team sentiment and sales-funnel KPIs. Authenticate with `Authorization: Bearer <key>`.' },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: Object.fromEntries(Object.entries(paths).map(([p, v]) => [p.replace(/^\/api\/v1/, ''), v])),
  }
}

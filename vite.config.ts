import { vitePlugin as remix } from '@remix-run/dev'
import tailwindcss from '@tailwindcss/vite'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  resolve: {
    alias: {
      '~': here('./app'),
      '#db': here('./db'),
      '#emails': here('./emails'),
    },
  },
  server: { port: 3000 },
  ssr: {
    // Native or CommonJS-heavy server packages stay external so the server bundle loads them from node_modules.
    external: ['@electric-sql/pglite', 'pg-boss', 'postgres', '@node-rs/argon2', 'nodemailer', 'pino'],
  },
  plugins: [
    tailwindcss(),
    remix({
      ignoredRouteFiles: ['**/*.test.*', '**/*.server.ts', '**/components/**', '**/queries.server.ts'],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
})

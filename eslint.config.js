import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['build/**', 'data/**', 'node_modules/**', 'db/migrations/**', 'test-results/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Routes never build SQL: drizzle stays in domain modules (*.server.ts outside app/routes).
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['app/routes/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'drizzle-orm', message: 'Routes call domain functions; SQL lives in app/<feature>/*.server.ts.' }] }],
    },
  },
)

// Lives beside its own node_modules: typescript-eslint needs TypeScript 6's compiler API, which the
// project's compiler (TypeScript 7) does not have. Run from the repository root: `npm run lint`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'tools/**'] },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: process.cwd() },
    },
    rules: {
      // A promise nobody awaits swallows its rejection: in a validator that is a silent pass or a crash.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Function is how routing-controllers names controller classes in its own metadata.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Tests, the demo and the benchmark print on purpose; tests read untyped JSON answers and use
    // chai's property assertions (`expect(x).to.be.empty`).
    files: ['test/**/*.ts', 'demo/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    // The examples are apps: they print where they listen.
    files: ['examples/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);

// Lint catches bugs the compiler lets through; layout is Prettier's job (see .prettierrc.json),
// so no stylistic rule is enabled here. TypeScript files get type-aware rules (the parser asks
// the same tsconfig.json that `npm run typecheck` uses); JavaScript files get the plain ones.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const unusedVars = {
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrors: 'all',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  // `const { dropped, ...kept } = x` is how a field is left out of a copy.
  ignoreRestSiblings: true,
};

const coreRules = {
  // Both flag regexes that strip or mask control characters on purpose.
  'no-control-regex': 'off',
  // Layout of a regex literal, not a bug.
  'no-regex-spaces': 'off',
};

export default defineConfig(
  globalIgnores(['dist/', 'out/', 'test-artifacts/', '.tracepipe/', 'tmp/', '**/node_modules/', '**/*.generated.ts']),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.eslintRecommended],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      ...coreRules,
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
      // Promises: none dropped, none passed where a callback's result is ignored, no await of a non-promise.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `return promise` inside try/catch skips the catch and finally for its rejection.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // A switch over a union names every member, or says with `default` what the rest do.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, allowDefaultCaseForExhaustiveSwitch: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/require-array-sort-compare': ['error', { ignoreStringArrays: true }],
      '@typescript-eslint/no-array-delete': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-unsafe-unary-minus': 'error',
      '@typescript-eslint/no-misused-new': 'error',
      '@typescript-eslint/no-unsafe-declaration-merging': 'error',
    },
  },
  {
    // Node scripts: the CLI launcher, the build, this file.
    files: ['bin/**/*.js', '*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.node },
    rules: { ...coreRules, 'no-unused-vars': ['error', unusedVars] },
  },
  {
    // The pages' ES modules, served to the browser as they are.
    files: ['web/pages/assets/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.browser },
    rules: { ...coreRules, 'no-unused-vars': ['error', unusedVars] },
  },
  {
    // Classic scripts run in the recorded pages: the mail app's UI and the recorder's injected
    // listener, whose top-level function is called by name from outside the file.
    files: ['fixtures/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'script', globals: globals.browser },
    rules: { ...coreRules, 'no-unused-vars': ['error', { ...unusedVars, vars: 'local', caughtErrors: 'none' }] },
  },
);

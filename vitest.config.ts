import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'stages/**/*.test.ts', 'engine/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The mail pipeline's finished workspaces, built once per run (test/helpers/prebuilt.ts).
    globalSetup: ['test/global/prebuilt-mail.ts'],
    // A temp root per test file, removed after it.
    setupFiles: ['test/global/temp-root.ts'],
  },
});

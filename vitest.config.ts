import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'stages/**/*.test.ts', 'engine/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One worker process runs many files, so the sources are imported once per worker, not once per file
    // (every file cleans up the environment variables and mocks it sets).
    isolate: false,
    // Two cores: vitest's default (cores - 1) runs one file at a time; most files wait on child processes,
    // servers, Chromium and ffmpeg, so two at a time overlap those waits.
    maxWorkers: 2,
    // The mail pipeline's finished workspaces, built once per run (test/helpers/prebuilt.ts).
    globalSetup: ['test/global/prebuilt-mail.ts'],
    // A temp root per test file, removed after it.
    setupFiles: ['test/global/temp-root.ts'],
  },
});

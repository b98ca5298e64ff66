import { defineConfig } from 'vitest/config';

/** The probe suite alone, for the test of the browser-suite rule. */
export default defineConfig({ test: { root: import.meta.dirname, include: ['*.probe.ts'], pool: 'forks' } });

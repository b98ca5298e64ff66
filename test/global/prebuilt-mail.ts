/**
 * globalSetup: the run's folders for things built once per `vitest run` (the mail pipeline's
 * finished workspaces, test/helpers/prebuilt.ts; the CLIs child processes run,
 * test/helpers/child-cli.ts). Each is built the first time a test file asks for it, so a run
 * that needs none pays nothing; both folders are removed when the run ends.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Finished workspaces (test/helpers/prebuilt.ts). */
    prebuiltRoot: string;
    /** Bundled CLIs for child processes (test/helpers/child-cli.ts): inside the repo, so they find its package.json and node_modules. */
    bundleRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const prebuiltRoot = mkdtempSync(join(tmpdir(), 'tp-prebuilt-'));
  const repoTmp = fileURLToPath(new URL('../../tmp/', import.meta.url));
  mkdirSync(repoTmp, { recursive: true });
  const bundleRoot = mkdtempSync(join(repoTmp, 'test-bundles-'));
  project.provide('prebuiltRoot', prebuiltRoot);
  project.provide('bundleRoot', bundleRoot);
  return () => {
    for (const dir of [prebuiltRoot, bundleRoot]) rmSync(dir, { recursive: true, force: true });
  };
}

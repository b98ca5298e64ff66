/**
 * globalSetup: one folder per `vitest run` for the mail pipeline's finished workspaces
 * (test/helpers/prebuilt.ts builds each the first time a test file asks for it, so a run
 * that needs none pays nothing), removed when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'tp-prebuilt-'));
  project.provide('prebuiltRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}

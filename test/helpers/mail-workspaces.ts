import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cli.ts';
import { rulesPipelineYaml } from './rules-pipeline.ts';

/** The six recorded mail sessions of the `trust` workspace. */
export const TRUST_SESSIONS = [
  'archive-github-notification',
  'draft-typos-talk-outline',
  'reply-sam-lunch',
  'search-offsite',
  'send-lunch-thursday',
  'star-budget-review',
];

/** Copies pipelines/, prompts/ and fixtures/sessions into `dir`, laid out like the repo so pipelines/gmail.yaml runs unchanged. */
export function fillGmailWorkspace(dir: string): string {
  for (const d of ['pipelines', 'prompts', 'fixtures/sessions']) cpSync(join(repoRoot, d), join(dir, d), { recursive: true });
  return dir;
}

/** pipelines/trust.yaml: the mail pipeline (rules) over `sessionsPath`, writing examples and a dataset to ../out. */
export function writeTrustPipeline(dir: string, sessionsPath: string): void {
  const yaml = rulesPipelineYaml('trust', {
    output: '../out',
    moreStages: '  write: {uses: write-examples, needs: [synthesize]}\n  dataset: {uses: dataset, needs: [write]}\n',
  }).replace('sessions: {path: ../sessions/*}', `sessions: {path: "${sessionsPath}"}`);
  writeFileSync(join(dir, 'pipelines/trust.yaml'), yaml);
}

/** Fills `dir` with the suite, map and prompts and a copy of TRUST_SESSIONS in `sessionsFolder`, and pipelines/trust.yaml over them. */
export function fillTrustWorkspace(dir: string, sessionsFolder = 'sessions'): string {
  cpSync(join(repoRoot, 'pipelines/suites'), join(dir, 'pipelines/suites'), { recursive: true });
  cpSync(join(repoRoot, 'pipelines/maps'), join(dir, 'pipelines/maps'), { recursive: true });
  cpSync(join(repoRoot, 'prompts'), join(dir, 'prompts'), { recursive: true });
  for (const s of TRUST_SESSIONS) cpSync(join(repoRoot, 'fixtures/sessions', s), join(dir, sessionsFolder, s), { recursive: true });
  writeTrustPipeline(dir, `../${sessionsFolder}/*`);
  return dir;
}

/** A new temp folder filled by fillTrustWorkspace: the mail pipeline not yet run. */
export const trustWorkspace = (sessionsFolder = 'sessions') => fillTrustWorkspace(mkdtempSync(join(tmpdir(), 'tp-trust-')), sessionsFolder);

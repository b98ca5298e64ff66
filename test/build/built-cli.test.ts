import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';

/**
 * The compiled CLI as `npx tracepipe` runs it: dist/ built from the current
 * sources (what `npm ci` does through `prepare`), then bin/tracepipe.js in a
 * child process.
 */
const bin = join(repoRoot, 'bin/tracepipe.js');
const folders: string[] = [];
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
};

/** Records every file the child loads, so a test can say which packages a command pulled in. */
const LOAD_LOG_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(\"import { appendFileSync } from 'node:fs'; export async function load(url, context, next) { if (url.startsWith('file:')) appendFileSync(process.env.TP_LOAD_LOG, url + '\\\\n'); return next(url, context); }\"));",
)}`;

function tracepipe(args: string[], opts: { cwd: string; loadLog?: string }) {
  const r = spawnSync(process.execPath, [...(opts.loadLog === undefined ? [] : ['--import', LOAD_LOG_HOOK]), bin, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, CI: '1', ...(opts.loadLog === undefined ? {} : { TP_LOAD_LOG: opts.loadLog }) },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Packages whose code the loaded files hold: bundled ones (esbuild's `// node_modules/<pkg>/` markers) and imported ones. */
function packagesLoaded(loadLog: string): string[] {
  const files = readFileSync(loadLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => fileURLToPath(url));
  const names = new Set<string>();
  for (const file of files) {
    const inNodeModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (inNodeModules !== null) {
      names.add(inNodeModules[1]!);
      continue;
    }
    for (const m of readFileSync(file, 'utf8').matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) names.add(m[1]!);
  }
  return [...names].sort();
}

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, 'bin/build.js')], { cwd: repoRoot, stdio: 'pipe' });
}, 180_000);
afterAll(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the built CLI', () => {
  it('--help lists the commands and loads no package but commander', () => {
    const loadLog = join(scratch('tp-built-help-'), 'loaded.txt');
    const help = tracepipe(['--help'], { cwd: repoRoot, loadLog });
    expect(help.code, help.err).toBe(0);
    expect(help.out).toContain('Usage: tracepipe [options] [command]');
    for (const command of [
      'exec [options] <pipeline>',
      'plan [options] <pipeline>',
      'resume [options] <run>',
      'review [options] <action> [example] [span]',
      'serve [options]',
    ]) {
      expect(help.out).toContain(command);
    }
    expect(packagesLoaded(loadLog)).toEqual(['commander']);
  });

  it('runs a pipeline with its own TypeScript stage and a command stage, then serves the rerun from the cache', () => {
    const dir = scratch('tp-built-exec-');
    const loadLog = join(dir, 'loaded.txt');
    const args = ['exec', join(repoRoot, 'pipelines/custom-stages.yaml'), '--set', 'sessions.path=../fixtures/sessions/archive-*'];
    const first = tracepipe(args, { cwd: dir, loadLog });
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/summary\s+2\s+2\s+0\s+0\s+0/);
    expect(first.out).toMatch(/score\s+2\s+2\s+0\s+0\s+0/);
    expect(packagesLoaded(loadLog)).toEqual(expect.arrayContaining(['better-sqlite3', 'tsx', 'zod']));

    const again = tracepipe(args, { cwd: dir });
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/summary\s+2\s+0\s+2\s+0\s+0/);
    expect(again.out).toMatch(/score\s+2\s+0\s+2\s+0\s+0/);
  });

  it('a rerun of the mail pipeline with nothing changed loads no model client, tokenizer, image library or chat template', () => {
    const dir = scratch('tp-built-noop-');
    const loadLog = join(dir, 'loaded.txt');
    const args = ['exec', join(repoRoot, 'pipelines/gmail.yaml'), '--set', 'sessions.path=../fixtures/sessions/archive-*'];
    const first = tracepipe(args, { cwd: dir });
    expect(first.code, first.err).toBe(0);
    const again = tracepipe(args, { cwd: dir, loadLog });
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/^dataset\s+1\s+0\s+1\s+0\s+0$/m);
    const loaded = packagesLoaded(loadLog);
    expect(loaded).toEqual(expect.arrayContaining(['ajv', 'better-sqlite3', 'yaml', 'zod']));
    for (const lazy of ['openai', 'js-tiktoken', 'sharp', '@img/sharp-linux-x64', '@huggingface/jinja']) expect(loaded).not.toContain(lazy);
    // zod's messages in English only: none of its other locales is in the bundle
    const locales = readFileSync(loadLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((url) => [...readFileSync(fileURLToPath(url), 'utf8').matchAll(/^\/\/ node_modules\/zod\/v4\/locales\/(\S+)/gm)].map((m) => m[1]));
    expect(locales).toEqual(['en.js']);
  });

  it('says how to build it when dist/ is missing', () => {
    const dir = scratch('tp-unbuilt-');
    mkdirSync(join(dir, 'bin'));
    cpSync(bin, join(dir, 'bin/tracepipe.js'));
    const r = spawnSync(process.execPath, [join(dir, 'bin/tracepipe.js'), '--help'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`tracepipe is not built: ${dir}/dist/cli.js is missing.\nhint: run \`npm run build\` in ${dir}/ (\`npm ci\` builds it too).\n`);
  });
});

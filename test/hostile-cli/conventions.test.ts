import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { tempPathFor } from '../../engine/atomic-write.ts';
import { repoRoot } from '../helpers/cli.ts';
import { bounded, editedPipeline, mailWorkspace, tracepipe } from './workspace.ts';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'tp-conventions-'));
const NO_RUNS_HINT = 'Run a pipeline first (tracepipe exec <pipeline.yaml>), or point --cache at the folder that holds its cache.';

describe('read-only commands never create a cache', () => {
  bounded('runs, status, review list, gc --dry-run, compare, report and plan leave no .tracepipe behind', 4000, async () => {
    const dir = mailWorkspace(1);
    const db = join(dir, '.tracepipe/cache.db');
    expect(await tracepipe(dir, ['runs'])).toEqual({ code: 0, out: `no runs yet in ${db}\n`, err: '' });
    expect(await tracepipe(dir, ['status'])).toEqual({ code: 2, out: '', err: `TP_INPUT no runs yet in ${db}\nhint: ${NO_RUNS_HINT}\n` });
    expect(await tracepipe(dir, ['review', 'list'])).toEqual({ code: 2, out: '', err: `TP_INPUT no runs yet in ${db}\nhint: ${NO_RUNS_HINT}\n` });
    expect(await tracepipe(dir, ['gc', '--dry-run'])).toEqual({
      code: 0,
      out: 'would drop 0 runs, 0 stage results, 0 artifacts, 0 memoized requests, 0 derived folders (imports); would free 0 B\n',
      err: '',
    });
    expect((await tracepipe(dir, ['compare', 'a', 'b'])).code).toBe(2);
    expect((await tracepipe(dir, ['report', 'latest', '--out', 'r.html'])).code).toBe(2);
    const plan = await tracepipe(dir, ['plan', 'pipelines/gmail.yaml']);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('6 stage results would be computed');
    expect(existsSync(join(dir, '.tracepipe'))).toBe(false);
  });

  bounded('a --cache path that is a file is one TP_CACHE error, not an internal error', 4000, async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'cache-file'), 'x');
    const r = await tracepipe(dir, ['runs', '--cache', 'cache-file']);
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `TP_CACHE the cache folder ${join(dir, 'cache-file')} is a file, not a folder\nhint: Pass --cache <folder> (or set TRACEPIPE_CACHE) to a folder; the default is .tracepipe in the working folder.\n`,
    });
  });
});

describe('--json errors are JSON on every command', () => {
  bounded('each command prints exactly one JSON error object on stderr and nothing on stdout', 6000, async () => {
    const dir = emptyDir();
    mkdirSync(join(dir, 'a-folder'));
    const db = join(dir, '.tracepipe/cache.db');
    const cases: [string[], string, string][] = [
      [['exec', 'missing.yaml'], 'TP_CONFIG', '1 problem in missing.yaml; nothing was run'],
      [['plan', 'missing.yaml'], 'TP_CONFIG', '1 problem in missing.yaml; nothing was run'],
      [['diff', 'a.yaml'], 'TP_INPUT', 'tracepipe diff needs two pipeline files, or one file and --rev <git revision>'],
      [['diff', 'a.yaml', '--rev', '--output=x'], 'TP_INPUT', '--rev "--output=x" is not a git revision'],
      [['runs', '--limit', 'x'], 'TP_CONFIG', 'not a whole number: x'],
      [['status'], 'TP_INPUT', `no runs yet in ${db}`],
      [['status', 'latest'], 'TP_INPUT', `no runs yet in ${db}`],
      [['resume', 'r1'], 'TP_INPUT', `no runs yet in ${db}`],
      [['gc', '--keep-runs', 'x'], 'TP_CONFIG', 'not a whole number: x'],
      [['schema', '--out', 'a-folder'], 'TP_CONFIG', `cannot write the schema to ${join(dir, 'a-folder')} (it is a folder)`],
      [['compare', 'a', 'b'], 'TP_INPUT', `no runs yet in ${db}`],
      [['review', 'list'], 'TP_INPUT', `no runs yet in ${db}`],
      [['review', 'frob'], 'TP_INPUT', 'unknown review action "frob": use list, show, accept, fix or reject'],
      [['report', 'latest', '--out', 'r.html'], 'TP_INPUT', `no runs yet in ${db}`],
      [['inspect', 'missing-session'], 'TP_CONFIG', `sessions.path: the folder ${join(dir, 'missing-session')} does not exist`],
      [
        ['serve', '--host', '0.0.0.0'],
        'TP_CONFIG',
        'binding to 0.0.0.0 makes the status API reachable from other machines, so it needs a token: set TRACEPIPE_TOKEN',
      ],
      [['serve', '--port', 'http'], 'TP_INPUT', '--port must be a port number (0-65535), not http'],
      [
        ['import', 'missing', '--out', 'native', '--format', 'frob'],
        'TP_INPUT',
        'unknown session format "frob" (known: native, extension, playwright, har, rrweb, chromeRecorder, clones, opencua, opencuaBench)',
      ],
      [['frobnicate'], 'TP_CONFIG', "unknown command 'frobnicate'"],
    ];
    for (const [argv, code, message] of cases) {
      const r = await tracepipe(dir, [...argv, '--json']);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out, argv.join(' ')).toBe('');
      expect(r.err.endsWith('\n') && r.err.indexOf('\n') === r.err.length - 1, `${argv.join(' ')}: one line, got ${r.err}`).toBe(true);
      const { error } = JSON.parse(r.err) as { error: { code: string; message: string } };
      expect({ argv, code: error.code, message: error.message }).toEqual({ argv, code, message });
    }
    expect(existsSync(join(dir, '.tracepipe'))).toBe(false);
  });

  bounded('a pipeline with problems gives its diagnostics as data', 4000, async () => {
    const dir = emptyDir();
    const r = await tracepipe(dir, ['exec', 'missing.yaml', '--json']);
    expect(JSON.parse(r.err)).toEqual({
      error: {
        code: 'TP_CONFIG',
        message: '1 problem in missing.yaml; nothing was run',
        details: {
          diagnostics: [
            {
              file: join(dir, 'missing.yaml'),
              line: 1,
              column: 1,
              length: 1,
              message: 'file not found',
              hint: "Check the path; relative paths resolve against the working directory or the pipeline file's folder.",
              path: [],
            },
          ],
        },
      },
    });
  });
});

describe('command conventions', () => {
  bounded('--version prints the package version', 2000, async () => {
    expect(await tracepipe(emptyDir(), ['--version'])).toEqual({ code: 0, out: '0.1.0\n', err: '' });
  });

  bounded('status latest is the newest run, like report latest; a stage with failed items is ✗ and one with skipped items -, not ✓', 8000, async () => {
    const dir = mailWorkspace(2);
    const [broken] = readdirSync(join(dir, 'fixtures/sessions')).sort();
    writeFileSync(join(dir, 'fixtures/sessions', broken!, 'input_events.jsonl'), '{"t": 1, "type": \n');
    const run = await tracepipe(dir, ['exec', 'pipelines/gmail.yaml']);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^✗ load +2 items: 1 ran, 0 cached, 1 failed, 0 skipped/m);
    expect(run.out).toMatch(/^- normalize +2 items: 1 ran, 0 cached, 0 failed, 1 skipped/m);
    expect(run.out).toMatch(/^✓ dataset +1 item: 1 ran, 0 cached, 0 failed, 0 skipped/m);
    const runId = /^run (\S+) failed in/m.exec(run.out)?.[1];
    const latest = await tracepipe(dir, ['status', 'latest']);
    expect(latest.code).toBe(0);
    expect(latest.out).toMatch(new RegExp(`^run ${runId}  gmail  failed`));
    expect(latest).toEqual(await tracepipe(dir, ['status', runId!]));
    expect(JSON.parse((await tracepipe(dir, ['status', 'latest', '--json'])).out).id).toBe(runId);
  });

  bounded('killed writes leave no .tmp files behind after the next run', 8000, async () => {
    const dir = mailWorkspace(1);
    expect((await tracepipe(dir, ['exec', 'pipelines/gmail.yaml'])).code).toBe(0);
    const out = join(dir, 'out/gmail');
    const [example] = readdirSync(join(out, 'examples'));
    // Writers killed mid-write (SIGKILL after the temp file, before the rename): each temp file is named for a process that is then killed.
    for (const target of [join(out, 'dataset.jsonl'), join(out, 'examples', example!, 'example.json')]) {
      const writer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      const gone = new Promise<NodeJS.Signals | null>((r) => writer.once('exit', (_code, signal) => r(signal)));
      writeFileSync(tempPathFor(target, writer.pid), 'half a file');
      writer.kill('SIGKILL');
      expect(await gone).toBe('SIGKILL');
    }
    expect(tempFiles(out)).toHaveLength(2);
    expect((await tracepipe(dir, ['exec', 'pipelines/gmail.yaml'])).code).toBe(0);
    expect(tempFiles(out)).toEqual([]);
  });

  bounded('import converts every good session of a folder and reports every bad one', 6000, async () => {
    const dir = emptyDir();
    const from = join(dir, 'recordings');
    for (const s of ['archive-github-notification', 'delete-library-reminder']) cpDir(join(repoRoot, 'fixtures/sessions', s), join(from, s));
    for (const s of ['truncated-jsonl', 'invalid-field-type']) cpDir(join(repoRoot, 'fixtures/broken', s), join(from, s));
    const r = await tracepipe(dir, ['import', 'recordings', '--out', 'native']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('imported 2 sessions into native: archive-github-notification, delete-library-reminder; 2 failed\n');
    // The errors load gives for the same folders (one validation for both commands).
    expect(r.err).toBe(`  ✗ import recordings/invalid-field-type: TP_INPUT session.json field "viewport.width": must be a number, got a string
      at ${from}/invalid-field-type/session.json (field viewport.width)
  ✗ import recordings/truncated-jsonl: TP_INPUT input_events.jsonl:148: truncated last line (Expected ',' or '}' after property value at line 1 column 32)
      at ${from}/truncated-jsonl/input_events.jsonl:148
`);
    expect(readdirSync(join(dir, 'native')).sort()).toEqual(['archive-github-notification', 'delete-library-reminder']);
  });

  bounded('a read-only output folder is one exit-2 error before any item runs', 10_000, async () => {
    const dir = mailWorkspace(2);
    mkdirSync(join(dir, 'out'));
    chmodSync(join(dir, 'out'), 0o555);
    // root writes anywhere: run the CLI as nobody, who may write the cache but not out/.
    const asRoot = process.getuid?.() === 0;
    const file = asRoot ? editedPipeline(dir, 'gmail.yaml', (y) => y.replace('concurrency: 8', 'concurrency: 8\ncache: ../cache')) : 'pipelines/gmail.yaml';
    if (asRoot) {
      mkdirSync(join(dir, 'cache'));
      chmodSync(join(dir, 'cache'), 0o777);
      chmodSync(dir, 0o755);
    }
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin/tracepipe.js'), 'exec', file], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, CI: '1' },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `TP_CONFIG the output folder out/gmail cannot be written (EACCES at ${join(dir, 'out')}); nothing was run\nhint: Make it writable, or point \`output:\` in pipelines/gmail.yaml at a folder you can write.\n`,
    );
    expect(r.status).toBe(2);
  });
});

function tempFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));
}

function cpDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  spawnSync('cp', ['-r', `${from}/.`, to]);
}

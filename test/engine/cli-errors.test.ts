import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../cli/io.ts';
import { exitCodeFor } from '../../cli/print-error.ts';
import { runCli, type CommandPlugin } from '../../cli/program.ts';
import { causeShown, ERROR_CODES, unreachable, type ErrorCode } from '../../engine/errors.ts';
import { cli } from '../helpers/cli.ts';
import { testRegistry } from '../helpers/test-stages.ts';

const folders: string[] = [];
afterAll(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));
function emptyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-cli-errors-'));
  folders.push(dir);
  return dir;
}

/** The CLI with one extra command, `fail`, whose action throws `thrown`. */
async function throwing(thrown: unknown, argv: string[] = ['fail']) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), isTTY: false, env: {}, cwd: emptyDir(), registry: testRegistry };
  const plugin: CommandPlugin = (program) => {
    program
      .command('fail')
      .option('--json', 'print JSON')
      .action(() => {
        throw thrown;
      });
  };
  const code = await runCli(argv, io, [plugin]);
  return { code, out, err };
}

describe('every error code has its exit code and its way of showing a cause', () => {
  it('maps each code once, by an exhaustive switch', () => {
    const table = Object.fromEntries(ERROR_CODES.map((c) => [c, [exitCodeFor(c), causeShown(c)]]));
    expect(table).toEqual({
      TP_CONFIG: [2, 'line'],
      TP_INPUT: [2, 'line'],
      TP_MODEL: [1, 'line'],
      TP_STAGE: [1, 'full'],
      TP_CACHE: [2, 'full'],
      TP_ABORTED: [130, 'none'],
      TP_INTERNAL: [1, 'full'],
    });
  });

  it('a switch that misses a code does not compile', () => {
    const partial = (code: ErrorCode): number => {
      switch (code) {
        case 'TP_CONFIG':
        case 'TP_INPUT':
          return 2;
        default:
          // @ts-expect-error the codes not handled above are not `never`
          return unreachable(code);
      }
    };
    expect(partial('TP_CONFIG')).toBe(2);
    expect(() => partial('TP_MODEL')).toThrow('unhandled case "TP_MODEL"');
  });
});

describe('a command error is printed once, by one printer', () => {
  it('an unexpected throw is TP_INTERNAL, says it is a bug and shows its cause with the frame that threw', async () => {
    const r = await throwing(new TypeError('cannot read properties of undefined'));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const lines = r.err.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'TP_INTERNAL cannot read properties of undefined',
      'hint: This is a bug in tracepipe; please report it with the run id or the command you ran, and the cause.',
      'cause: TypeError: cannot read properties of undefined',
    ]);
    expect(lines[3]).toMatch(/^ {4}at (.+ \()?tracepipe\/test\/engine\/cli-errors\.test\.ts:\d+:\d+\)?$/);
    expect(r.err.split('cannot read properties').length - 1).toBe(2);
  });

  it('a thrown non-Error is an internal error too, as one JSON line with --json', async () => {
    const r = await throwing('oops', ['fail', '--json']);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.err)).toEqual({
      error: {
        code: 'TP_INTERNAL',
        message: 'a string was thrown instead of an Error',
        cause: 'oops',
        hint: 'This is a bug in tracepipe; please report it with the run id or the command you ran, and the cause.',
      },
    });
  });

  it('a pipeline with problems, a missing run and a usage error each print their text once', async () => {
    const dir = emptyDir();
    expect(await cli(['exec', 'missing.yaml'], { cwd: dir })).toEqual({
      code: 2,
      out: '',
      err: "missing.yaml:1:1 file not found\n  hint: Check the path; relative paths resolve against the working directory or the pipeline file's folder.\n\n1 problem in missing.yaml; nothing was run.\n",
    });
    mkdirSync(join(dir, 'sessions/s1'), { recursive: true });
    writeFileSync(join(dir, 'sessions/s1/input.txt'), 'hello');
    writeFileSync(join(dir, 'p.yaml'), 'name: once\nsessions: { path: sessions/* }\nstages:\n  read: { uses: read-text }\n');
    expect((await cli(['exec', 'p.yaml'], { cwd: dir })).code).toBe(0);
    expect(await cli(['status', 'nope'], { cwd: dir })).toEqual({
      code: 2,
      out: '',
      err: `TP_INPUT no run nope in ${join(dir, '.tracepipe/cache.db')}\nhint: list runs with \`tracepipe runs\`.\n`,
    });
    expect(await cli(['runs', '--bogus'], { cwd: dir })).toEqual({
      code: 2,
      out: '',
      err: "TP_CONFIG unknown option '--bogus'\nhint: See tracepipe --help.\n",
    });
  });
});

describe('TP_CACHE shows the SQLite error under it', () => {
  const dir = emptyDir();
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad/cache.db'), 'not a database, only text that is long enough to fill the header of one '.repeat(4));
  const file = join(dir, 'bad/cache.db');
  const HINT =
    'Check that the path is writable and is a tracepipe cache, or point `cache:` / --cache at another folder. Do not delete it lightly: it also holds review decisions people made.';

  it('as text: the code and message of the SQLite error, and where tracepipe opened the file', async () => {
    const r = await cli(['runs', '--cache', 'bad'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `TP_CACHE cannot open the cache file ${file}`,
      `hint: ${HINT}`,
      'cause: SqliteError SQLITE_NOTADB: file is not a database',
    ]);
    expect(lines.slice(3)).toHaveLength(3);
    for (const frame of lines.slice(3)) expect(frame).toMatch(/^ {4}at (.+ \()?tracepipe\/engine\/cache\/sqlite\.ts:\d+:\d+\)?$/);
  });

  it('as JSON: the cause in the one error line', async () => {
    const r = await cli(['runs', '--cache', 'bad', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.err) as { error: Record<string, string> };
    expect(error).toEqual({
      code: 'TP_CACHE',
      message: `cannot open the cache file ${file}`,
      hint: HINT,
      cause: expect.stringMatching(/^SqliteError SQLITE_NOTADB: file is not a database\n {2}at /),
    });
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../cli/io.ts';
import { runCli } from '../../cli/program.ts';
import type { StageRegistry } from '../../engine/stage.ts';
import { testRegistry } from './test-stages.ts';
import { runBuiltinCli } from '../../cli/main.ts';
import { builtinStages } from '../../stages/index.ts';
import { childCli } from './child-cli.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The real CLI (built-in stages, every command) from the current sources, bundled once per run, for child processes. */
export const devCli = () => childCli('dev-cli');

/** Runs the CLI in-process with captured output: the test stages, or with `builtin` the real CLI with every command. */
export async function cli(argv: string[], opts: { cwd: string; env?: Record<string, string | undefined>; registry?: StageRegistry; builtin?: boolean }) {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void (err += t.endsWith('\n') ? t : `${t}\n`),
    isTTY: false,
    env: opts.env ?? {},
    cwd: opts.cwd,
    registry: opts.registry ?? testRegistry,
  };
  const code = opts.builtin ? await runBuiltinCli(argv, { ...io, registry: builtinStages }) : await runCli(argv, io);
  return { code, out, err };
}

/** Runs the test-stage CLI in a child process. */
export function spawnTestCli(argv: string[], opts: { cwd: string; env?: Record<string, string> }) {
  return spawn(process.execPath, [childCli('test-cli'), ...argv], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function spawnTestCliSync(argv: string[], opts: { cwd: string; env?: Record<string, string> }) {
  const r = spawnSync(process.execPath, [childCli('test-cli'), ...argv], { cwd: opts.cwd, env: { ...process.env, ...opts.env, CI: '1' }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

import { spawn } from 'node:child_process';
import type { Env } from '../../engine/stage.ts';

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a shell command in `cwd` with `stdin` written to it, and collects what it printed. */
export function runCommand(command: string, opts: { cwd: string; stdin: string; timeoutMs: number; signal: AbortSignal; env: Env }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: opts.cwd, shell: true, stdio: ['pipe', 'pipe', 'pipe'], signal: opts.signal, env: { ...opts.env } });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, opts.timeoutMs);
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    // A command that exits without reading its input closes the pipe early; its exit code says what happened.
    child.stdin.on('error', () => {});
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), timedOut });
    });
    child.stdin.end(opts.stdin);
  });
}

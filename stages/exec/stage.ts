import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { fileProblem } from '../../engine/config/disk-files.ts';
import { TracepipeError } from '../../engine/errors.ts';
import { sha256 } from '../../engine/hash.ts';
import { defineStage, type MapContext, type StageIssue } from '../../engine/stage.ts';
import { runCommand, type CommandResult } from './run-command.ts';

export const ExecOptions = z.strictObject({
  run: z
    .string()
    .min(1)
    .meta({ description: "Shell command run once per item in the pipeline file's folder: the item as JSON on stdin, its output as JSON on stdout." }),
  files: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: 'Files the command reads (its script, data), relative to the pipeline file; their content is part of the cache key.' }),
  timeoutMs: z.number().int().positive().default(60_000).meta({ description: 'An item whose command runs longer fails.' }),
});
export type ExecOptions = z.infer<typeof ExecOptions>;

/** What the command reads on stdin. */
export interface ExecInput {
  item: { id: string; path: string };
  /** Upstream outputs by stage id (the node's `needs`). */
  inputs: Record<string, unknown>;
}

const STDERR_SHOWN = 2000;

/**
 * A command as a stage, the way DVC and Snakemake run one: for each item it gets
 * `{item, inputs}` as JSON on stdin and prints the item's output as JSON on
 * stdout; a non-zero exit fails the item with its stderr. The command text is an
 * option and the declared `files` are hashed into the key from disk (what runs is
 * what is on disk), so `plan` says when either changed.
 */
export const execStage = defineStage<ExecOptions>({
  name: 'exec',
  version: '1',
  kind: 'map',
  description: 'Run a shell command per item: the item as JSON on stdin, its output as JSON on stdout',
  options: ExecOptions,
  keyInputs: (node, pipeline) => {
    const options = node.with as ExecOptions;
    return Object.fromEntries(options.files.map((f) => [`file ${f}`, hashDeclaredFile(resolve(pipeline.dir, f), f)]));
  },
  check: (node, pipeline) => {
    const options = ExecOptions.parse(node.with);
    return options.files.flatMap((f, i): StageIssue[] => {
      const problem = fileProblem(resolve(pipeline.dir, f));
      if (problem === undefined) return [];
      return [
        {
          message: `exec file "${f}" ${problem === 'not found' ? 'does not exist' : problem}`,
          path: ['with', 'files', i],
          hint: `Looked for ${resolve(pipeline.dir, f)}; files are relative to the pipeline file.`,
        },
      ];
    });
  },
  run: (ctx) => runExec(ctx),
});

async function runExec(ctx: MapContext<ExecOptions>): Promise<unknown> {
  const input: ExecInput = { item: { id: ctx.item.id, path: ctx.item.path }, inputs: ctx.inputs };
  const { run, timeoutMs } = ctx.options;
  const result = await runCommand(run, { cwd: ctx.pipeline.dir, stdin: JSON.stringify(input), timeoutMs, signal: ctx.signal, env: ctx.env });
  const failure = commandFailure(run, result, timeoutMs);
  if (failure !== undefined) throw failure;
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    const shown = result.stdout.trim().slice(0, 200);
    throw new TracepipeError('TP_STAGE', `command "${run}" printed ${shown === '' ? 'nothing on stdout' : `output that is not JSON on stdout: ${shown}`}`, {
      hint: "Print the item's output as one JSON value on stdout; write logs to stderr.",
    });
  }
}

function commandFailure(run: string, result: CommandResult, timeoutMs: number): TracepipeError | undefined {
  const stderr = tail(result.stderr.trim());
  const details = { exitCode: result.exitCode, signal: result.signal, stderr };
  if (result.timedOut)
    return new TracepipeError('TP_STAGE', `command "${run}" timed out after ${timeoutMs} ms`, {
      hint: 'Raise with.timeoutMs, or make the command faster.',
      details,
    });
  if (result.exitCode === 0) return undefined;
  const how = result.exitCode === null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  return new TracepipeError('TP_STAGE', `command "${run}" ${how}${stderr === '' ? '' : `:\n${stderr}`}`, {
    hint: 'The command reads the item as JSON on stdin and prints its output as JSON on stdout.',
    details,
  });
}

function tail(text: string): string {
  return text.length <= STDERR_SHOWN ? text : `...${text.slice(-STDERR_SHOWN)}`;
}

function hashDeclaredFile(abs: string, label: string): string {
  try {
    return sha256(readFileSync(abs));
  } catch {
    throw new TracepipeError('TP_CONFIG', `exec file "${label}" cannot be read`, { hint: `Looked for ${abs}.` });
  }
}

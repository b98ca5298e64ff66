import { execFileSync } from 'node:child_process';
import { dirname, relative, resolve } from 'node:path';
import { loadPipelineFromText } from '../../engine/config/index.ts';
import { declaredFiles, diffPipelines, SnapshotFiles, takeSnapshot, type PipelineSide } from '../../engine/run/index.ts';
import { formatValue } from '../../engine/values.ts';
import { EXIT, type Io } from '../io.ts';
import { loadValid, readStoreFor } from '../open-pipeline.ts';
import { inputError } from '../../engine/errors.ts';
import { PipelineProblems } from '../pipeline-problems.ts';
import { table } from '../reporters/summary.ts';

export interface DiffArgs {
  rev?: string;
  variant?: string;
  set?: string[];
  json?: boolean;
}

/** `tracepipe diff a.yaml b.yaml` or `tracepipe diff file.yaml --rev REV`: config, prompt text and what it invalidates. */
export function diffCommand(io: Io, fileA: string, fileB: string | undefined, args: DiffArgs): number {
  if ((fileB === undefined) === (args.rev === undefined)) throw inputError('tracepipe diff needs two pipeline files, or one file and --rev <git revision>');
  if (args.rev !== undefined) checkRevision(args.rev);
  const pipelineArgs = { variant: args.variant ?? null, set: args.set ?? [] };
  const current = loadValid(io, fileB ?? fileA, pipelineArgs);
  const b: PipelineSide = { label: fileB ?? `${fileA} (working tree)`, ...current, files: takeSnapshot(current.pipeline, io.registry, current.raw).files };
  let a: PipelineSide;
  if (fileB !== undefined) {
    const other = loadValid(io, fileA, pipelineArgs);
    a = { label: fileA, ...other, files: takeSnapshot(other.pipeline, io.registry, other.raw).files };
  } else a = sideAtRevision(io, fileA, args.rev!, pipelineArgs);
  const store = readStoreFor(b.pipeline);
  try {
    const d = diffPipelines(a, b, io.registry, store, io.cwd);
    if (args.json) {
      io.out(JSON.stringify(d, null, 2));
      return EXIT.ok;
    }
    io.out(`config (${a.label} → ${b.label}):`);
    io.out(d.config.length === 0 ? '  no changes' : d.config.map((c) => `  ${c.path}: ${formatValue(c.before)} -> ${formatValue(c.after)}`).join('\n'));
    io.out('\nprompt templates:');
    io.out(d.prompts.length === 0 ? '  no changes' : d.prompts.map((p) => p.patch.trimEnd()).join('\n'));
    io.out('\ninvalidates:');
    if (d.invalidated.length === 0) io.out('  nothing: every cached result stays valid');
    else {
      const rows = d.invalidated.map((s) => [
        s.stage,
        s.onlyIfUpstreamChanges ? `${s.cachedSessions} (if upstream output changes)` : `${s.cachedSessions} of ${s.totalSessions}`,
        s.reasons.join('; '),
      ]);
      io.out(
        table(
          ['  stage', 'cached sessions', 'why'],
          rows.map((r) => [`  ${r[0]}`, r[1]!, r[2]!]),
        ),
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/**
 * A revision is passed to git, so it must not read as an option (`--output=FILE` makes
 * git write a file): a name or expression of letters, digits and `._/@{}~^+-`, not
 * starting with `-`. git is also told where options end.
 */
const REVISION = /^[A-Za-z0-9@][A-Za-z0-9._/@{}~^+-]*$/;

function checkRevision(rev: string): void {
  if (REVISION.test(rev) && rev.length <= 256) return;
  throw inputError(`--rev ${JSON.stringify(rev)} is not a git revision`, {
    hint: 'Name a commit, branch or tag (HEAD~1, main, v1.2, a commit hash); it may not start with "-" or hold spaces or ":".',
  });
}

/** The pipeline and its key files as they were at a git revision. */
function sideAtRevision(io: Io, file: string, rev: string, args: { variant: string | null; set: string[] }): PipelineSide {
  const abs = resolve(io.cwd, file);
  const git = (argv: string[]) => execFileSync('git', argv, { cwd: dirname(abs), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let root: string;
  let commit: string;
  let text: string;
  try {
    root = git(['rev-parse', '--show-toplevel']).trim();
    commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).trim();
  } catch (err) {
    const why = (err as { stderr?: string }).stderr?.trim();
    throw inputError(`cannot read ${file} at git revision ${rev}: ${why || 'no such commit'}`, {
      hint: 'Name a commit of the repository that holds the pipeline file.',
    });
  }
  try {
    text = git(['show', '--end-of-options', `${commit}:${relative(root, abs)}`]);
  } catch (err) {
    throw inputError(`cannot read ${file} at git revision ${rev}: ${(err as { stderr?: string }).stderr?.trim() || String(err)}`);
  }
  const result = loadPipelineFromText(text, abs, { variant: args.variant, sets: args.set, env: io.env, registry: io.registry, cwd: io.cwd, dir: dirname(abs) });
  if (!result.ok) throw new PipelineProblems(`${file} at ${rev}`, result.diagnostics, result.sources, 'nothing was compared');
  const texts = new Map<string, string>();
  for (const { path } of [...declaredFiles(result.pipeline, io.registry).values()].flat()) {
    try {
      texts.set(path, git(['show', '--end-of-options', `${commit}:${relative(root, path)}`]));
    } catch {
      texts.set(path, '');
    }
  }
  return { label: `${file}@${rev}`, pipeline: result.pipeline, raw: result.raw, files: new SnapshotFiles(texts) };
}

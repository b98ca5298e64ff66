import { mkdir, stat, writeFile } from 'node:fs/promises';
import { inputError } from '../../engine/errors.ts';
import { basename, dirname, join } from 'node:path';
import type { NetworkRequest, Step, Timeline } from '../../domain/session/timeline.ts';

/** Pointer fields the reducer adds to steps (see the step contract); read when present. */
type PointerFields = { button?: string; pointer?: string };

const EXTENSIONS: Record<string, string> = { 'image/webp': 'webp', 'image/jpeg': 'jpg', 'image/png': 'png' };

const MAX_CELL = 40;

const clip = (s: string, max = MAX_CELL) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function targetCell(step: Step): string {
  const t = step.target;
  if (!t) return '';
  if (t.role || t.name) return `${t.role ?? ''}${t.name ? ` "${t.name}"` : ''}`.trim();
  return t.selector ?? t.field ?? t.text ?? t.tag ?? '';
}

function textCell(step: Step): string {
  if (step.keys) return step.keys.join('+');
  if (step.kind === 'scroll') return `dx=${step.dx ?? 0} dy=${step.dy ?? 0}`;
  if (step.kind === 'drag' && step.path) {
    const end = step.path[step.path.length - 1];
    return end ? `→ ${Math.round(end.x)},${Math.round(end.y)}` : '';
  }
  return step.text === undefined ? '' : JSON.stringify(step.text);
}

function requestCell(req: NetworkRequest): string {
  let path = req.url;
  try {
    const u = new URL(req.url);
    path = u.pathname + u.search;
  } catch {
    // keep the raw text
  }
  return `${req.method} ${path}`;
}

function buttonCell(step: Step): string {
  const { button, pointer } = step as Step & PointerFields;
  return [button, pointer === undefined ? undefined : `(${pointer})`].filter((v) => v !== undefined).join(' ');
}

function keyframeCell(step: Step, files: ReadonlyMap<number, string>): string {
  if (!step.keyframe) return 'no';
  const file = files.get(step.id);
  return `${step.keyframe.t} ms${file === undefined ? '' : ` ${basename(file)}`}`;
}

/** A plain-text table of a timeline's steps, one row per step, for `tracepipe inspect` (`files`: keyframe files written, by step id). */
export function formatTimelineTable(timeline: Timeline, files: ReadonlyMap<number, string> = new Map()): string {
  const header = ['step', 'kind', 't (ms)', 'target', 'text/keys', 'x,y', 'button', 'network', 'keyframe'];
  const rows = timeline.steps.map((s) => [
    String(s.id),
    s.kind,
    s.t1 > s.t0 ? `${s.t0}-${s.t1}` : String(s.t0),
    clip(targetCell(s)),
    clip(textCell(s)),
    s.x === undefined || s.y === undefined ? '' : `${Math.round(s.x)},${Math.round(s.y)}`,
    buttonCell(s),
    clip(s.network.map(requestCell).join(', '), 60),
    keyframeCell(s, files),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  const title = `${timeline.sessionId} (${timeline.suite}) — ${timeline.steps.length} steps${
    timeline.preamble.length ? `, ${timeline.preamble.length} requests before the first step` : ''
  }`;
  return [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** The file a step's keyframe is written to by `tracepipe inspect --keyframes DIR`: `<step id>.<ext>`. */
export function keyframeFileName(step: Step): string | undefined {
  if (!step.keyframe) return undefined;
  return `${step.id}.${EXTENSIONS[step.keyframe.mediaType] ?? 'bin'}`;
}

/**
 * Makes sure `dir` is a folder that can be written, creating it (not its parents: a recursive
 * mkdir under /proc never returns on Node 20); anything else is TP_INPUT naming the folder.
 */
async function keyframeFolder(dir: string): Promise<void> {
  const bad = (why: string) => inputError(`--keyframes ${dir}: ${why}`, { hint: 'Give --keyframes a folder that exists or whose parent folder exists.' });
  const st = await stat(dir).catch(() => undefined);
  if (st !== undefined) {
    if (!st.isDirectory()) throw bad('is not a folder');
    return;
  }
  const parent = await stat(dirname(dir)).catch(() => undefined);
  if (parent === undefined || !parent.isDirectory()) throw bad(`its parent ${dirname(dir)} is not a folder`);
  await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
    throw bad(`cannot be created (${err.code ?? err.message})`);
  });
}

/**
 * Writes each step's keyframe image to `dir/<step id>.<ext>` (steps sharing a frame each get
 * a copy) and returns the paths written (`dir` joined with the name), by step id.
 */
export async function writeStepKeyframes(
  timeline: Timeline,
  dir: string,
  artifact: (hash: string) => { data: Uint8Array } | undefined,
): Promise<Map<number, string>> {
  await keyframeFolder(dir);
  const files = new Map<number, string>();
  for (const step of timeline.steps) {
    const name = keyframeFileName(step);
    if (name === undefined || !step.keyframe) continue;
    const image = artifact(step.keyframe.artifact);
    if (!image) throw new Error(`keyframe ${step.keyframe.artifact} of step ${step.id} is not in the artifact store`);
    await writeFile(join(dir, name), image.data);
    files.set(step.id, join(dir, name));
  }
  return files;
}

/**
 * The steps as `tracepipe inspect --json` prints them: every step field, with `keyframe`
 * reduced to `{t, file}` (file: where --keyframes wrote it, else null) and the reducer's
 * `button` and `pointer` kept when present.
 */
export function inspectJson(timeline: Timeline, files: ReadonlyMap<number, string>): unknown {
  return {
    ...timeline,
    steps: timeline.steps.map((s) => {
      const { keyframe, ...rest } = s;
      return keyframe ? { ...rest, keyframe: { t: keyframe.t, file: files.get(s.id) ?? null } } : rest;
    }),
  };
}

import { isAbsolute, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from './package-root.ts';
import { maskSecrets } from './secrets/index.ts';

/**
 * Folders whose absolute paths a cause shows as short names (`tracepipe/engine/...`,
 * `stages/my-stage.ts`, `<cache>/imports/...`), so the cause stored with a failure is
 * the same for the same inputs wherever the pipeline, its cache or tracepipe lie.
 */
export type CauseRoots = readonly { dir: string; shownAs: string }[];

/** The roots of a pipeline's failures: its folder, its cache folder and tracepipe's own code. */
export function pipelineCauseRoots(o: { dir: string; cacheDir: string }): CauseRoots {
  return [
    { dir: o.dir, shownAs: '' },
    { dir: o.cacheDir, shownAs: '<cache>/' },
    { dir: packageRoot(), shownAs: 'tracepipe/' },
  ];
}

/** The frames worth showing: the first few in tracepipe's code or the user's stage modules. */
const MAX_FRAMES = 3;
/** A cause of a cause of a cause is as deep as a person reads. */
const MAX_DEPTH = 3;
/** A cause repeats its message; a megabyte of text in a thrown message is stored once, with the failure's own message. */
const MAX_MESSAGE = 2000;
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * A thrown value as text safe to store and print: `Name CODE: message` (for a TracepipeError
 * `TP_CODE message`, with frames only for TP_INTERNAL), the first stack frames that point into a root (dependencies and
 * Node's internals left out), and `caused by:` for its own cause. Secrets are masked
 * and paths under a root are shortened.
 */
export function describeCause(cause: unknown, roots: CauseRoots = defaultRoots()): string {
  const sorted = [...roots].sort((a, b) => b.dir.length - a.dir.length);
  return maskSecrets(describeOne(cause, sorted, 0));
}

/** A message of an unexpected throw, made as safe as a cause: secrets masked, paths under a root shortened. */
export function cleanMessage(message: string, roots: CauseRoots = defaultRoots()): string {
  return maskSecrets(
    shortenPaths(
      message,
      [...roots].sort((a, b) => b.dir.length - a.dir.length),
    ),
  );
}

function defaultRoots(): CauseRoots {
  return [{ dir: packageRoot(), shownAs: 'tracepipe/' }];
}

function describeOne(cause: unknown, roots: CauseRoots, depth: number): string {
  if (!(cause instanceof Error)) return shortenPaths(typeof cause === 'string' ? cause : `a thrown ${describeThrown(cause)}, not an Error`, roots);
  const own = cause as Error & { code?: unknown; cause?: unknown };
  const lines: string[] = [];
  // Masked before it is cut, so a cut cannot leave half a token the masking no longer sees.
  const message = shortenPaths(clip(maskSecrets(own.message)), roots);
  if (own.name === 'TracepipeError' && typeof own.code === 'string') {
    lines.push(`${own.code} ${message}`);
    // A bug tracepipe noticed itself: where it noticed is what a report needs.
    if (own.code === 'TP_INTERNAL') lines.push(...frames(own.stack, roots));
  } else {
    const code = typeof own.code === 'string' || typeof own.code === 'number' ? ` ${own.code}` : '';
    lines.push(`${own.name}${code}: ${message}`);
    lines.push(...frames(own.stack, roots));
  }
  if (own.cause !== undefined && depth + 1 < MAX_DEPTH) lines.push(`caused by: ${describeOne(own.cause, roots, depth + 1)}`);
  return lines.join('\n');
}

function clip(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE)}… (${text.length - MAX_MESSAGE} more characters)`;
}

function describeThrown(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${String(value).slice(0, 200)}`;
}

function frames(stack: string | undefined, roots: CauseRoots): string[] {
  const shown: string[] = [];
  for (const line of (stack ?? '').split('\n')) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    const place = shortPlace(m[2]!, roots);
    if (place === undefined) continue;
    const at = `${place}:${m[3]}:${m[4]}`;
    shown.push(m[1] === undefined ? `  at ${at}` : `  at ${m[1]} (${at})`);
    if (shown.length === MAX_FRAMES) break;
  }
  return shown;
}

/** A frame's file under a root, without the loader's query string; undefined for dependencies and anything outside. */
function shortPlace(location: string, roots: CauseRoots): string | undefined {
  const bare = location.replace(/[?#].*$/, '');
  let path: string;
  try {
    path = bare.startsWith('file://') ? fileURLToPath(bare) : bare;
  } catch {
    return undefined;
  }
  if (!isAbsolute(path)) return undefined;
  const root = roots.find((r) => path.startsWith(r.dir + sep));
  if (root === undefined) return undefined;
  const rel = path.slice(root.dir.length + 1).split(sep);
  if (rel.includes('node_modules')) return undefined;
  return root.shownAs + rel.join('/');
}

/** Every `file://<root>/` and `<root>/` in free text (error messages name files) as the root's short name. */
function shortenPaths(text: string, roots: CauseRoots): string {
  let out = text;
  for (const r of roots) {
    if (r.dir === '' || r.dir === sep) continue;
    out = out.split(`file://${r.dir}${sep}`).join(r.shownAs).split(`${r.dir}${sep}`).join(r.shownAs);
  }
  return out;
}

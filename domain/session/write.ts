import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { inputError } from '../../engine/errors.ts';
import { firstZodIssue } from '../../engine/config/zod-issues.ts';
import type { Har } from '../network/har.ts';
import { isSecretField, maskTokens, REDACTED, redactHar, redactString } from '../network/redact.ts';
import { maskedMeta } from './mask-meta.ts';
import { InputEvent, SessionMeta } from './model.ts';
import { EVENTS_FILE, META_FILE } from './read.ts';
import { openRegularFile } from './session-file.ts';
import { NETWORK_FILE } from './validate.ts';
import { isSafeName, slugName } from './safe-name.ts';

export interface ScreenshotData {
  /** Capture time in ms since startedAt. */
  t: number;
  data: Uint8Array;
  ext: 'png' | 'jpg' | 'jpeg' | 'webp';
}

export interface NativeSessionContent {
  meta: SessionMeta;
  events: InputEvent[];
  har?: Har;
  screenshots?: ScreenshotData[];
  /** Path of a video file to copy in as video.mp4. */
  video?: string;
}

/** Turns any name into a session id safe as a folder name. */
export function toSessionId(name: string): string {
  const id = slugName(name);
  return id === '' ? 'session' : id;
}

/**
 * Writes `<root>/<meta.id>/` in the native format (DESIGN §2) and returns that folder. Everything
 * is written into a temporary sibling folder that is renamed into place at the end, so a reader
 * never sees half a session; an existing session of the same id is replaced.
 *
 * Events are validated, stably sorted by time, and have credentials masked (URLs and typed
 * values that look like tokens; values typed into password or secret-named fields); so has the
 * description; the HAR is redacted.
 */
export async function writeNativeSession(root: string, content: NativeSessionContent): Promise<string> {
  const meta = maskedMeta(SessionMeta.parse(content.meta));
  if (!isSafeName(meta.id)) {
    throw inputError(`session id "${meta.id}" is not a safe folder name`, { location: { file: META_FILE, field: 'id' } });
  }
  const events = content.events
    .map((e, i) => {
      const parsed = InputEvent.safeParse(e);
      if (!parsed.success) {
        const issue = firstZodIssue(parsed.error, e);
        throw inputError(`event #${i} (${e.id ?? e.type}) is not a valid InputEvent: field "${issue.field}" ${issue.problem}`, {
          location: { file: EVENTS_FILE, line: i + 1, field: issue.field },
        });
      }
      return redactEvent(parsed.data);
    })
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
    .map(({ e }) => e);

  await mkdir(root, { recursive: true });
  const finalDir = join(root, meta.id);
  const tmpDir = join(root, `.${meta.id}.tmp-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir, { recursive: true });
  try {
    await writeFile(join(tmpDir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
    await writeFile(join(tmpDir, EVENTS_FILE), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    if (content.har !== undefined) {
      await writeFile(join(tmpDir, NETWORK_FILE), `${JSON.stringify(redactHar(content.har), null, 1)}\n`);
    }
    if (content.screenshots !== undefined && content.screenshots.length > 0) {
      await mkdir(join(tmpDir, 'screenshots'));
      const used = new Set<number>();
      for (const shot of [...content.screenshots].sort((a, b) => a.t - b.t)) {
        let t = Math.max(0, Math.round(shot.t));
        while (used.has(t)) t++; // two frames in one ms: keep both, one ms apart
        used.add(t);
        const ext = shot.ext === 'jpeg' ? 'jpg' : shot.ext;
        await writeFile(join(tmpDir, 'screenshots', `${String(t).padStart(8, '0')}.${ext}`), shot.data);
      }
    }
    if (content.video !== undefined) await copyRegularFile(content.video, join(tmpDir, 'video.mp4'));
    await rm(finalDir, { recursive: true, force: true });
    await rename(tmpDir, finalDir);
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
  return finalDir;
}

function redactEvent(e: InputEvent): InputEvent {
  const out: InputEvent = { ...e };
  if (out.url !== undefined) out.url = redactString(out.url);
  if (out.type === 'input' || out.type === 'select') {
    out.value = isSecretField(out.target) ? REDACTED : maskTokens(out.value);
  }
  if (out.type === 'check' && out.value !== undefined) out.value = maskTokens(out.value);
  return out;
}

/** Copies a video in, refusing a link or a FIFO the way every importer read does (a video may be large: streamed). */
async function copyRegularFile(from: string, to: string): Promise<void> {
  const fh = await openRegularFile(from);
  await pipeline(fh.createReadStream(), createWriteStream(to));
}

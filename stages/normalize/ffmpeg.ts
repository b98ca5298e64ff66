import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TracepipeError } from '../../engine/errors.ts';
import type { Env } from '../../engine/stage.ts';
import { SIGNATURE_HEIGHT, SIGNATURE_WIDTH, type Signature } from './thumbs.ts';

/** The ffmpeg binary: Debian's on the environment's PATH first, else the one bundled by @ffmpeg-installer/ffmpeg. */
export function findFfmpeg(env: Env): string {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'ffmpeg');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  try {
    const bundled = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    if (existsSync(bundled)) return bundled;
  } catch {
    // not installed
  }
  throw new TracepipeError('TP_STAGE', 'ffmpeg was not found, so frames cannot be taken from video.mp4', {
    hint: 'Install ffmpeg (apt install ffmpeg) or the npm package @ffmpeg-installer/ffmpeg, or set screenshots.enabled: false.',
  });
}

/** A span of video time (ms): every source frame in it (`dense`), or at most `fps` frames a second. */
export interface FrameWindow {
  from: number;
  to: number;
}

/** What reading a video cost: real time, ffmpeg's CPU time, video seconds decoded, frames decoded (estimated from the stream's rate) and frames handed over. */
export interface DecodeStats {
  runs: number;
  wallMs: number;
  cpuMs: number;
  decodedSeconds: number;
  decodedFrames: number;
  framesOut: number;
}

export const emptyDecodeStats = (): DecodeStats => ({ runs: 0, wallMs: 0, cpuMs: 0, decodedSeconds: 0, decodedFrames: 0, framesOut: 0 });

/** A gap longer than this between wanted spans is skipped by seeking instead of decoding through it. */
const SEEK_GAP_MS = 10_000;
/** Decoding starts this long before a span so the seek lands on a keyframe early enough (ffmpeg then decodes forward to the exact time). */
const SEEK_PREROLL_MS = 500;
/** Window ends get this slack: a frame stamped 1.9 s may compare as 1.9000001 s; times are floored to whole ms, so it is still at or before. */
const END_SLACK_S = 0.0009;

interface Segment {
  /** Where decoding starts (ms of video time); 0 = the file's start, no seek. */
  seek: number;
  end: number;
}

/** Groups the spans into decoding runs; spans further apart than SEEK_GAP_MS get runs of their own. */
function segmentsFor(spans: FrameWindow[]): Segment[] {
  const out: Segment[] = [];
  for (const s of [...spans].sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && s.from - last.end <= SEEK_GAP_MS) last.end = Math.max(last.end, s.to);
    else out.push({ seek: s.from < SEEK_GAP_MS ? 0 : Math.max(0, s.from - SEEK_PREROLL_MS), end: s.to });
  }
  return out;
}

const sec = (ms: number, seek: number) => ((ms - seek) / 1000).toFixed(4);
const between = (w: FrameWindow, seek: number) => `between(t\\,${sec(w.from, seek)}\\,${((w.to - seek) / 1000 + END_SLACK_S).toFixed(4)})`;
const overlaps = (w: FrameWindow, s: Segment) => w.to >= s.seek && w.from <= s.end;

/**
 * Streams, in time order, the signature of every source frame in `dense` spans, of at most `fps`
 * frames a second in `sparse` spans, and of every frame that differs from the one before
 * anywhere else in a decoding run, to `onFrame(t, signature, run)` (t = the frame's own
 * timestamp in ms, floored, so a frame is never labelled earlier than the moment it shows; `run`
 * numbers the decoding runs, and frames of different runs have unseen video between them).
 * Changed frames are kept everywhere because in a variable-frame-rate video (Playwright's, or a
 * recorder that drops repeated frames) a frame exists only when the screen changed and stays on
 * screen until the next one, possibly long after. Nothing is written to disk; gaps longer than
 * SEEK_GAP_MS between spans are seeked over, so the decoding cost grows with the spans, not with
 * the video's length. Returns the source frame size.
 */
export async function scanVideo(
  video: string,
  spans: { dense: FrameWindow[]; sparse: FrameWindow[]; fps: number },
  onFrame: (t: number, sig: Signature, run: number) => void,
  stats: DecodeStats,
  ffmpeg: string,
): Promise<{ width: number; height: number } | undefined> {
  let size: { width: number; height: number } | undefined;
  const gap = (1 / spans.fps) * 0.999;
  const segments = segmentsFor([...spans.dense, ...spans.sparse]);
  for (const [run, seg] of segments.entries()) {
    const dense = spans.dense.filter((w) => overlaps(w, seg)).map((w) => between(w, seg.seek));
    const sparse = spans.sparse.filter((w) => overlaps(w, seg)).map((w) => between(w, seg.seek));
    const D = dense.join('+') || '0';
    const S = sparse.join('+') || '0';
    const changed = 'isnan(prev_selected_t)+gt(scene\\,0)';
    const elsewhere = `(1-gt(${D}+${S}\\,0))*lte(t\\,${((seg.end - seg.seek) / 1000 + END_SLACK_S).toFixed(4)})`;
    const expr = `gt(${D}+(${S})*(${changed}+gte(t-prev_selected_t\\,${gap.toFixed(6)}))+${elsewhere}*(${changed})\\,0)`;
    const filter = `select='${expr}',showinfo,scale=${SIGNATURE_WIDTH}:${SIGNATURE_HEIGHT}:flags=area,format=gray`;
    await runFrames(ffmpeg, video, seg, filter, SIGNATURE_WIDTH * SIGNATURE_HEIGHT, stats, (t, data, s) => {
      size ??= s;
      onFrame(t, data, run);
    });
  }
  return size;
}

/** Full frames of `video` at these exact frame times (ms, as `scanVideo` reported them), as raw RGB at most `maxWidth` wide. */
export async function grabFrames(
  video: string,
  times: number[],
  source: { width: number; height: number },
  maxWidth: number,
  stats: DecodeStats,
  ffmpeg: string,
): Promise<Map<number, { data: Buffer; width: number; height: number }>> {
  const width = Math.min(maxWidth, source.width);
  const height = Math.max(1, Math.round((source.height * width) / source.width));
  const out = new Map<number, { data: Buffer; width: number; height: number }>();
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  for (const seg of segmentsFor(sorted.map((t) => ({ from: t, to: t })))) {
    const wanted = sorted.filter((t) => t >= seg.seek && t <= seg.end);
    const expr = wanted.map((t) => `between(t\\,${((t - seg.seek) / 1000 - 0.0001).toFixed(4)}\\,${((t - seg.seek) / 1000 + 0.0011).toFixed(4)})`).join('+');
    const filter = `select='gt(${expr}\\,0)',showinfo,scale=${width}:${height}:flags=area,format=rgb24`;
    await runFrames(ffmpeg, video, seg, filter, width * height * 3, stats, (t, data) => {
      const key = wanted.find((w) => w === t) ?? wanted.find((w) => Math.abs(w - t) <= 1);
      if (key !== undefined && !out.has(key)) out.set(key, { data: Buffer.from(data), width, height });
    });
  }
  return out;
}

/** One ffmpeg run over a segment: raw frames of `frameBytes` on stdout, paired in order with their showinfo times on stderr. */
async function runFrames(
  bin: string,
  video: string,
  seg: Segment,
  filter: string,
  frameBytes: number,
  stats: DecodeStats,
  onFrame: (t: number, data: Uint8Array, size: { width: number; height: number }) => void,
): Promise<void> {
  // The select expression grows with the number of spans: pass it in a file, not on the command line.
  const dir = await mkdtemp(join(tmpdir(), 'tracepipe-ffmpeg-'));
  const script = join(dir, 'filter.txt');
  // trim ends the stream a little past the span (the last wanted frame may be stamped a fraction
  // of a ms late), and ffmpeg then stops decoding. Neither -t form does that here: an output
  // limit only acts on a frame written past it (select drops those, so decoding went on to the
  // end of the file), and an input limit counts from the keyframe before the seek point.
  await writeFile(script, `trim=end=${((seg.end - seg.seek) / 1000 + 0.1).toFixed(4)},${filter}`);
  const args = [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-benchmark',
    '-loglevel',
    'info',
    // Decoding starts at the keyframe before the seek point and keeps the frames before it (with
    // times before the seek point): in a variable-frame-rate video the frame on screen at the
    // seek point may be one of them.
    ...(seg.seek > 0 ? ['-noaccurate_seek', '-ss', (seg.seek / 1000).toFixed(3)] : []),
    '-i',
    video,
    '-filter_script:v',
    script,
    '-an',
    '-vsync',
    'passthrough',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
  const started = performance.now();
  const times: { t: number; size: { width: number; height: number } }[] = [];
  const frames: Uint8Array[] = [];
  let pending: Buffer = Buffer.alloc(0);
  // ffmpeg's own lines (not showinfo's): the head names the stream's rate, the tail holds errors and -benchmark's times.
  let head = '';
  let tail = '';
  let lineBuf = '';
  let delivered = 0;
  let first: number | undefined;
  const flush = () => {
    while (times.length > 0 && frames.length > 0) {
      const { t, size } = times.shift()!;
      delivered++;
      first ??= t;
      onFrame(t, frames.shift()!, size);
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => {
        pending = pending.length === 0 ? d : Buffer.concat([pending, d]);
        while (pending.length >= frameBytes) {
          frames.push(new Uint8Array(pending.subarray(0, frameBytes)));
          pending = pending.subarray(frameBytes);
        }
        flush();
      });
      child.stderr.on('data', (d: Buffer) => {
        const text = lineBuf + d.toString();
        const lines = text.split('\n');
        lineBuf = lines.pop() ?? '';
        for (const line of lines) {
          const m = /\] n: *\d+ pts: *-?\d+ pts_time:(-?[\d.e+-]+).* s:(\d+)x(\d+)/.exec(line);
          if (m) {
            const t = Math.max(0, Math.floor(Math.round((Number(m[1]) * 1000 + seg.seek) * 10) / 10));
            times.push({ t, size: { width: Number(m[2]), height: Number(m[3]) } });
          } else {
            if (head.length < 8000) head += `${line}\n`;
            tail = `${tail}${line}\n`.slice(-4000);
          }
        }
        flush();
      });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve();
        // The scratch folder's name is random: keep it out of the message, which reaches run records and manifests.
        else
          reject(
            new Error(
              `ffmpeg exited with ${code}: ${lastLines(tail + lineBuf)
                .split(dir)
                .join('<scratch>')}`,
            ),
          );
      });
    });
  } catch (cause) {
    throw new TracepipeError('TP_INPUT', `video.mp4: ffmpeg could not read frames (${(cause as Error).message.split('\n')[0]})`, {
      location: { file: video },
      cause,
      hint: 'Check that video.mp4 plays (ffprobe video.mp4), or remove it.',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const fps = Number(/, ([\d.]+) fps,/.exec(head)?.[1] ?? 0);
  const bench = /bench: utime=([\d.]+)s stime=([\d.]+)s/.exec(tail + lineBuf);
  // Decoding started at the seek point, or at the keyframe before it when a frame from there came out.
  const seconds = (seg.end - Math.min(seg.seek, first ?? seg.seek)) / 1000;
  stats.runs++;
  stats.wallMs += performance.now() - started;
  stats.cpuMs += bench ? (Number(bench[1]) + Number(bench[2])) * 1000 : 0;
  stats.decodedSeconds += seconds;
  stats.decodedFrames += Math.round(seconds * fps);
  stats.framesOut += delivered;
}

const lastLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => !l.includes('Parsed_showinfo') && !l.startsWith('bench:'))
    .slice(-2)
    .join(' ');

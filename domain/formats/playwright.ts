import { basename, extname } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Unzipped } from 'fflate';
import { inputError, TracepipeError } from '../../engine/errors.ts';
import { newHar } from '../network/har.ts';
import type { HarEntry } from '../network/har.ts';
import type { InputEvent } from '../session/model.ts';
import type { ScreenshotData } from '../session/write.ts';
import { toSessionId, writeNativeSession } from '../session/write.ts';
import type { SessionFormat } from './format.ts';
import { isRecord, parseJsonLines, readInputFile } from './read-input.ts';
import type { JsonLine } from './read-input.ts';
import { eventsForCall, FocusTracker } from './playwright-actions.ts';
import type { TraceCall } from './playwright-actions.ts';
import { targetFromPlaywright } from './playwright-target.ts';

const MIN_VERSION = 3;
const MAX_VERSION = 10;
/** Response bodies up to this size are copied from resources/ into the HAR when they are text. */
const MAX_INLINE_BODY = 256 * 1024;

/**
 * Playwright trace.zip (trace format v3 to v10; v10, as Playwright 1.64 writes it, only made `callId` the step id in every line, which is how this reads all versions). Each `<n>-trace.trace` (or `trace.trace`) that
 * starts with `context-options` is one browser context and becomes one session, with its
 * `<n>-trace.network` as HAR and its screencast frames as screenshots. Test-runner step traces
 * (`test.trace`, or a `1-trace.trace` of class "Test" steps with no context-options) are skipped.
 */
export const playwright: SessionFormat = {
  name: 'playwright',
  async detect(path) {
    if (extname(path).toLowerCase() !== '.zip') return false;
    try {
      const zip = unzipSync(await readInputFile(path), { filter: (f) => f.name.endsWith('.trace') });
      return Object.keys(zip).length > 0;
    } catch {
      return false;
    }
  },
  async convert(path, outDir, opts) {
    let zip: Unzipped;
    try {
      zip = unzipSync(await readInputFile(path));
    } catch (err) {
      if (err instanceof TracepipeError) throw err;
      throw inputError(`${path}: not a readable zip (${(err as Error).message})`, { location: { file: path }, cause: err });
    }
    const traceNames = Object.keys(zip)
      .filter((n) => n.endsWith('.trace'))
      .sort();
    const contexts: { name: string; lines: JsonLine[] }[] = [];
    for (const name of traceNames) {
      const lines = parseJsonLines(strFromU8(zip[name] as Uint8Array), `${path}!${name}`);
      if (lines[0]?.value['type'] === 'context-options') contexts.push({ name, lines });
    }
    if (contexts.length === 0) {
      throw inputError(`${path}: no browser context trace in the zip (found ${traceNames.join(', ') || 'no .trace files'})`, {
        location: { file: path },
        hint: 'A Playwright trace.zip holds trace.trace or <n>-trace.trace starting with a context-options line.',
      });
    }
    const zipBase = basename(path, extname(path));
    const ids: string[] = [];
    for (const ctx of contexts) {
      const id = toSessionId(contexts.length === 1 ? zipBase : `${zipBase}-${ctx.name.replace(/\.trace$/, '')}`);
      await convertContext(path, zip, ctx.name, ctx.lines, id, outDir, opts.suite);
      ids.push(id);
    }
    return ids;
  },
};

async function convertContext(
  zipPath: string,
  zip: Unzipped,
  traceName: string,
  lines: JsonLine[],
  id: string,
  outDir: string,
  suite: string | undefined,
): Promise<void> {
  const file = `${zipPath}!${traceName}`;
  const ctx = lines[0]!.value;
  const version = ctx['version'];
  if (typeof version !== 'number' || version < MIN_VERSION || version > MAX_VERSION) {
    throw inputError(`${file}:1: trace format version ${JSON.stringify(version)} is not supported (${MIN_VERSION} to ${MAX_VERSION})`, {
      location: { file, line: 1, field: 'version' },
    });
  }
  const calls = new Map<string, TraceCall>();
  const frames: { sha1: string; timestamp: number }[] = [];
  let monoMin = Number.POSITIVE_INFINITY;
  let wallAnchor: { wall: number; mono: number } | undefined;
  for (const { value: e } of lines) {
    const type = e['type'];
    if (type === 'before' || type === 'action') {
      // v3 wraps the call in `metadata`.
      const m = type === 'action' && isRecord(e['metadata']) ? e['metadata'] : e;
      const callId = String(m['callId'] ?? m['id'] ?? '');
      const startTime = typeof m['startTime'] === 'number' ? m['startTime'] : 0;
      const log = Array.isArray(m['log']) ? m['log'].filter((s): s is string => typeof s === 'string') : [];
      calls.set(callId, {
        callId,
        apiName: String(m['apiName'] ?? ''),
        method: String(m['method'] ?? ''),
        className: String(m['class'] ?? m['type'] ?? ''),
        params: isRecord(m['params']) ? m['params'] : {},
        startTime,
        log,
        ...(isRecord(m['point']) && typeof m['point']['x'] === 'number' ? { point: m['point'] as { x: number; y: number } } : {}),
      });
      monoMin = Math.min(monoMin, startTime);
      if (typeof m['wallTime'] === 'number' && wallAnchor === undefined) wallAnchor = { wall: m['wallTime'], mono: startTime };
    } else if (type === 'input') {
      const call = calls.get(String(e['callId']));
      if (call !== undefined && isRecord(e['point']) && typeof e['point']['x'] === 'number' && typeof e['point']['y'] === 'number') {
        call.point = { x: e['point']['x'], y: e['point']['y'] };
      }
    } else if (type === 'log') {
      const call = calls.get(String(e['callId']));
      if (call !== undefined && typeof e['message'] === 'string') call.log.push(e['message']);
    } else if (type === 'after') {
      const call = calls.get(String(e['callId']));
      if (call !== undefined && Array.isArray(e['log'])) call.log.push(...e['log'].filter((s): s is string => typeof s === 'string'));
      if (call !== undefined && typeof e['endTime'] === 'number' && e['endTime'] >= call.startTime) call.endTime = e['endTime'];
    } else if (type === 'screencast-frame' && typeof e['sha1'] === 'string' && typeof e['timestamp'] === 'number') {
      frames.push({ sha1: e['sha1'], timestamp: e['timestamp'] });
    }
  }

  // t = 0 is the context's start: its monotonicTime (v7+) or the first call.
  const mono0 = typeof ctx['monotonicTime'] === 'number' ? ctx['monotonicTime'] : Number.isFinite(monoMin) ? monoMin : 0;
  const wall0 =
    typeof ctx['monotonicTime'] === 'number' && typeof ctx['wallTime'] === 'number'
      ? ctx['wallTime']
      : wallAnchor !== undefined
        ? wallAnchor.wall - (wallAnchor.mono - mono0)
        : typeof ctx['wallTime'] === 'number'
          ? ctx['wallTime']
          : 0;
  // Rounded to µs: monotonic floats carry noise like 112.09000000357628.
  const rel = (mono: number) => Math.max(0, Math.round((mono - mono0) * 1000) / 1000);

  const events: InputEvent[] = [];
  const mouse = { x: 0, y: 0 };
  const focus = new FocusTracker();
  let url: string | undefined;
  for (const call of [...calls.values()].sort((a, b) => a.startTime - b.startTime)) {
    if (call.className === 'Test') continue;
    const selector = typeof call.params['selector'] === 'string' ? call.params['selector'] : undefined;
    const resolved = call.log.map((l) => /(?:locator|selector) resolved to (.*)$/.exec(l)?.[1]).find((s) => s !== undefined);
    const target = focus.targetOf(call, targetFromPlaywright(selector, resolved));
    const base = {
      id: `${traceName}#${call.callId}`,
      t: rel(call.startTime),
      ...(url === undefined ? {} : { url }),
      ...(target === undefined ? {} : { target }),
    };
    const produced = eventsForCall(call, base, mouse, call.endTime === undefined ? 0 : rel(call.endTime) - base.t);
    for (const ev of produced) if (ev.type === 'navigate') url = ev.url;
    events.push(...produced);
  }

  const screenshots: ScreenshotData[] = [];
  for (const f of frames) {
    const data = zip[`resources/${f.sha1}`];
    if (data === undefined) continue; // frames whose resource was not saved cannot be shown
    screenshots.push({ t: rel(f.timestamp), data, ext: /\.png$/i.test(f.sha1) ? 'png' : 'jpg' });
  }

  const networkName = traceName.replace(/\.trace$/, '.network');
  const entries = zip[networkName] === undefined ? [] : harEntries(zip, networkName, `${zipPath}!${networkName}`, mono0, wall0);

  const options = isRecord(ctx['options']) ? ctx['options'] : {};
  const vp = isRecord(options['viewport']) ? options['viewport'] : undefined;
  const title = typeof ctx['title'] === 'string' ? ctx['title'] : undefined;
  await writeNativeSession(outDir, {
    meta: {
      id,
      suite: suite ?? 'web',
      recorder: `playwright-trace-v${version}`,
      startedAt: new Date(wall0).toISOString(),
      ...(title === undefined ? {} : { description: title }),
      ...(vp !== undefined && typeof vp['width'] === 'number' && typeof vp['height'] === 'number'
        ? { viewport: { width: vp['width'], height: vp['height'] } }
        : {}),
    },
    events,
    ...(entries.length === 0 ? {} : { har: newHar(entries) }),
    screenshots,
  });
}

/** resource-snapshot lines are HAR entries; times are fixed up from `_monotonicTime` when missing. */
function harEntries(zip: Unzipped, name: string, file: string, mono0: number, wall0: number): HarEntry[] {
  const out: HarEntry[] = [];
  for (const { value, line } of parseJsonLines(strFromU8(zip[name] as Uint8Array), file)) {
    if (value['type'] !== 'resource-snapshot' || !isRecord(value['snapshot'])) continue;
    const s = value['snapshot'];
    const request = s['request'];
    const response = s['response'];
    if (!isRecord(request) || typeof request['url'] !== 'string' || !isRecord(response)) {
      throw inputError(`${file}:${line}: resource-snapshot without request.url or response`, { location: { file, line, field: 'snapshot.request.url' } });
    }
    const mono = typeof s['_monotonicTime'] === 'number' ? s['_monotonicTime'] : mono0;
    const started =
      typeof s['startedDateTime'] === 'string' && !Number.isNaN(Date.parse(s['startedDateTime']))
        ? s['startedDateTime']
        : new Date(wall0 + (mono - mono0)).toISOString();
    const content = isRecord(response['content']) ? { ...response['content'] } : {};
    const sha1 = content['_sha1'];
    const mime = typeof content['mimeType'] === 'string' ? content['mimeType'] : '';
    if (typeof sha1 === 'string' && content['text'] === undefined && /json|text|xml|x-www-form-urlencoded/i.test(mime)) {
      const body = zip[`resources/${sha1}`];
      if (body !== undefined && body.length <= MAX_INLINE_BODY) content['text'] = strFromU8(body);
    }
    const postData = isRecord(request['postData']) ? { ...request['postData'] } : undefined;
    if (postData !== undefined && typeof postData['_sha1'] === 'string' && postData['text'] === undefined) {
      const body = zip[`resources/${postData['_sha1']}`];
      if (body !== undefined && body.length <= MAX_INLINE_BODY) postData['text'] = strFromU8(body);
    }
    out.push({
      ...s,
      startedDateTime: started,
      request: {
        ...request,
        method: typeof request['method'] === 'string' ? request['method'] : 'GET',
        url: request['url'],
        headers: Array.isArray(request['headers']) ? request['headers'] : [],
        ...(postData === undefined ? {} : { postData }),
      },
      response: {
        ...response,
        status: typeof response['status'] === 'number' ? response['status'] : 0,
        headers: Array.isArray(response['headers']) ? response['headers'] : [],
        content,
      },
    } as HarEntry);
  }
  return out;
}

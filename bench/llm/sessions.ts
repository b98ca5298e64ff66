import sharp from 'sharp';
import type { ArtifactStore } from '../../engine/stage.ts';
import type { NetworkRequest, Step, Timeline } from '../../domain/session/timeline.ts';

/** Deterministic pseudo-random numbers (mulberry32), so every bench run sends the same sessions. */
export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The size of every keyframe the bench sessions carry. */
export const FRAME = { width: 1024, height: 640 };

/** A few distinct 1024x640 JPEG "screenshots" (coloured panels), stored once and shared by the sessions. */
export async function makeKeyframes(artifacts: ArtifactStore, count = 6): Promise<string[]> {
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) {
    const random = rng(1000 + i);
    const panels = Array.from({ length: 14 }, () => ({
      input: {
        create: {
          width: 40 + Math.floor(random() * 300),
          height: 12 + Math.floor(random() * 120),
          channels: 3 as const,
          background: { r: Math.floor(random() * 255), g: Math.floor(random() * 255), b: Math.floor(random() * 255) },
        },
      },
      left: Math.floor(random() * 700),
      top: Math.floor(random() * 500),
    }));
    const jpeg = await sharp({ create: { width: 1024, height: 640, channels: 3, background: { r: 245, g: 246, b: 248 } } })
      .composite(panels)
      .jpeg({ quality: 70 })
      .toBuffer();
    hashes.push(artifacts.put(new Uint8Array(jpeg), 'image/jpeg'));
  }
  return hashes;
}

const ORIGIN = 'http://127.0.0.1:5173';
const req = (method: string, path: string, body?: unknown): NetworkRequest => ({
  id: `${method} ${path}`,
  t: 0,
  method,
  url: ORIGIN + path,
  status: 200,
  ...(body === undefined ? {} : { requestBody: body }),
});

/** A mail session of 2-4 actions (8-25 steps), keyframes on about half the steps. */
export function makeSession(i: number, keyframes: string[]): Timeline {
  const random = rng(i + 1);
  const steps: Omit<Step, 'id' | 't0' | 't1' | 'sourceEvents'>[] = [];
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const msg = () => `m-${String(1 + Math.floor(random() * 40)).padStart(4, '0')}`;
  const actions = 2 + Math.floor(random() * 3);
  for (let a = 0; a < actions; a++) {
    switch (pick(['send', 'reply', 'archive', 'search', 'read'])) {
      case 'send': {
        const to = [`user${i}@example.com`];
        steps.push({ kind: 'click', target: { role: 'button', name: 'Compose' }, network: [] });
        steps.push({ kind: 'type', target: { field: 'to' }, text: to[0]!, network: [] });
        steps.push({ kind: 'type', target: { field: 'subject' }, text: `Report ${i}`, network: [] });
        steps.push({
          kind: 'type',
          target: { field: 'body' },
          text: `Hi, here is the weekly report number ${i}. Let me know if anything is missing.`,
          network: [],
        });
        steps.push({
          kind: 'click',
          target: { role: 'button', name: 'Send' },
          network: [req('POST', '/api/messages/send', { to, cc: [], subject: `Report ${i}`, body: 'Hi, here is the weekly report.' })],
        });
        break;
      }
      case 'reply': {
        const id = msg();
        steps.push({ kind: 'click', target: { role: 'row', name: 'Lunch?' }, network: [req('GET', `/api/messages/${id}`)] });
        steps.push({ kind: 'click', target: { role: 'button', name: 'Reply' }, network: [] });
        steps.push({ kind: 'type', target: { field: 'body' }, text: 'Sounds good, see you then.', network: [] });
        steps.push({
          kind: 'click',
          target: { role: 'button', name: 'Send' },
          network: [req('POST', `/api/messages/${id}/reply`, { body: 'Sounds good, see you then.' })],
        });
        break;
      }
      case 'archive': {
        const id = msg();
        steps.push({ kind: 'click', target: { role: 'row', name: 'Newsletter' }, network: [req('GET', `/api/messages/${id}`)] });
        steps.push({
          kind: 'click',
          target: { role: 'button', name: 'Archive' },
          network: [req('POST', `/api/messages/${id}/modify`, { addLabels: [], removeLabels: ['INBOX'] })],
        });
        break;
      }
      case 'search': {
        steps.push({ kind: 'click', target: { role: 'searchbox', name: 'Search mail' }, network: [] });
        steps.push({ kind: 'type', target: { field: 'search' }, text: 'invoice', network: [] });
        steps.push({ kind: 'hotkey', keys: ['Enter'], network: [req('GET', '/api/messages?label=INBOX&q=invoice')] });
        break;
      }
      case 'read':
        steps.push({ kind: 'click', target: { role: 'row', name: 'Team update' }, network: [req('GET', `/api/messages/${msg()}`)] });
        steps.push({ kind: 'scroll', dy: 400, network: [] });
        break;
    }
  }
  return {
    sessionId: `bench-${String(i).padStart(4, '0')}`,
    suite: 'gmail',
    description: 'Handle the morning mail',
    preamble: [],
    steps: steps.map((s, k) => ({
      ...s,
      id: k + 1,
      t0: k * 1500,
      t1: k * 1500 + 200,
      sourceEvents: [`input_events.jsonl:${k + 1}`],
      ...(random() < 0.5 ? { keyframe: { artifact: pick(keyframes), mediaType: 'image/jpeg', t: k * 1500 - 50, width: 1024, height: 640 } } : {}),
    })),
  };
}

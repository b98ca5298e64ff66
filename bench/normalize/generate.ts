import { createWriteStream, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** A small deterministic PRNG (mulberry32), so every run generates the same sessions. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['hello', 'meeting', 'tomorrow', 'report', 'invoice', 'thanks', 'please', 'review', 'the', 'draft'];
const TARGETS = [
  { selector: 'button#compose', role: 'button', name: 'Compose', tag: 'button' },
  { selector: 'input#to', role: 'textbox', name: 'To', tag: 'input', field: 'to' },
  { selector: 'input#subject', role: 'textbox', name: 'Subject', tag: 'input', field: 'subject' },
  { selector: 'textarea#body', role: 'textbox', name: 'Body', tag: 'textarea', field: 'body' },
  { selector: 'button#send', role: 'button', name: 'Send', tag: 'button' },
];

/**
 * Yields JSON lines of a plausible recording: pointer movement (most lines), clicks, typing
 * with input values, wheel bursts, hotkeys, navigations, and ~5% exact duplicate lines.
 */
export function* eventLines(count: number, seed: number): Generator<string> {
  const r = rng(seed);
  let t = 0;
  let x = 400;
  let y = 300;
  let n = 0;
  const out: string[] = [];
  const emit = (ev: Record<string, unknown>) => {
    const line = JSON.stringify(ev);
    out.push(line);
    if (r() < 0.05) out.push(line);
  };
  while (n < count) {
    const pick = r();
    if (pick < 0.55) {
      const moves = 10 + Math.floor(r() * 40);
      for (let i = 0; i < moves; i++) {
        t += 8 + Math.floor(r() * 10);
        x = Math.max(0, Math.min(1279, x + (r() - 0.5) * 40));
        y = Math.max(0, Math.min(799, y + (r() - 0.5) * 30));
        emit({ type: 'mousemove', t, x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100 });
      }
    } else if (pick < 0.75) {
      const target = TARGETS[Math.floor(r() * TARGETS.length)]!;
      t += 50;
      emit({ type: 'mousedown', t, x, y, button: 'left', target, url: 'http://mail.test/inbox' });
      t += 60 + Math.floor(r() * 80);
      emit({ type: 'mouseup', t, x, y, button: 'left', target, url: 'http://mail.test/inbox' });
      emit({ type: 'click', t: t + 1, x, y, target, url: 'http://mail.test/inbox' });
    } else if (pick < 0.87) {
      const field = TARGETS[1 + Math.floor(r() * 3)]!;
      const text = `${WORDS[Math.floor(r() * WORDS.length)]} ${WORDS[Math.floor(r() * WORDS.length)]}`;
      let value = '';
      for (const ch of text) {
        t += 60 + Math.floor(r() * 120);
        emit({ type: 'keydown', t, key: ch, target: field });
        value += ch;
        emit({ type: 'input', t: t + 1, value, target: field });
        emit({ type: 'keyup', t: t + 30, key: ch, target: field });
        t += 30;
      }
    } else if (pick < 0.95) {
      const ticks = 3 + Math.floor(r() * 10);
      for (let i = 0; i < ticks; i++) {
        t += 16;
        emit({ type: 'wheel', t, x, y, dx: 0, dy: 40 });
      }
    } else if (pick < 0.98) {
      t += 200;
      emit({ type: 'keydown', t, key: 'Control' });
      emit({ type: 'keydown', t: t + 40, key: 'z' });
      emit({ type: 'keyup', t: t + 80, key: 'z' });
      emit({ type: 'keyup', t: t + 120, key: 'Control' });
      t += 120;
    } else {
      t += 500;
      emit({ type: 'navigate', t, url: `http://mail.test/m-${Math.floor(r() * 100)}` });
    }
    for (const line of out) {
      yield line;
      n++;
    }
    out.length = 0;
    t += Math.floor(r() * 400);
  }
}

/** Twenty distinct 1280x800 "screens" (PNG), generated once and hard-linked into every session. */
export async function makeScreens(dir: string, count = 20): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng(1000 + i);
    const rects = Array.from({ length: 40 }, () => {
      const c = Math.floor(r() * 200);
      return `<rect x="${Math.floor(r() * 1200)}" y="${Math.floor(r() * 760)}" width="${40 + Math.floor(r() * 300)}" height="${20 + Math.floor(r() * 120)}" fill="rgb(${c},${255 - c},${(c * 7) % 255})"/>`;
    }).join('');
    const lines = Array.from(
      { length: 30 },
      (_, k) =>
        `<text x="40" y="${30 + k * 25}" font-size="18" fill="#222">Message ${i}-${k}: ${WORDS[k % WORDS.length]} ${WORDS[(k * 3 + i) % WORDS.length]}</text>`,
    ).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="800"><rect width="1280" height="800" fill="#f4f4f8"/>${rects}${lines}</svg>`;
    const file = join(dir, `screen-${i}.png`);
    await sharp(Buffer.from(svg)).png().toFile(file);
    files.push(file);
  }
  return files;
}

/** Writes one native session; screenshots are hard links spread evenly over its duration. */
export async function writeBenchSession(root: string, id: string, events: number, seed: number, screens: string[]): Promise<string> {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'session.json'),
    JSON.stringify({ id, suite: 'mail', startedAt: '2026-01-01T00:00:00.000Z', viewport: { width: 1280, height: 800 } }),
  );
  const out = createWriteStream(join(dir, 'input_events.jsonl'));
  let lastT = 0;
  let buf: string[] = [];
  for (const line of eventLines(events, seed)) {
    buf.push(line);
    if (buf.length >= 4096) {
      if (!out.write(buf.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = [];
    }
    lastT = (JSON.parse(line) as { t: number }).t;
  }
  if (buf.length) out.write(buf.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  if (screens.length) {
    mkdirSync(join(dir, 'screenshots'));
    screens.forEach((file, i) => {
      const t = Math.floor((lastT * i) / screens.length);
      linkSync(file, join(dir, 'screenshots', `${String(t).padStart(8, '0')}.png`));
    });
  }
  return dir;
}

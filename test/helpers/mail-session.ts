import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** t = 0 of the hand-built mail sessions. */
export const MAIL_STARTED = Date.parse('2026-11-20T10:00:00.000Z');

/** A mail-app button as the recorder names it. */
export const mailButton = (name: string) => ({ tag: 'button', role: 'button', name, text: name, selector: `#${name.toLowerCase()}-button` });

/** One HAR 1.2 entry `ms` after t = 0, with every field a HAR reader requires; `request`/`response` override them. */
export function harEntry(ms: number, request: Record<string, unknown>, response: Record<string, unknown> = {}) {
  return {
    startedDateTime: new Date(MAIL_STARTED + ms).toISOString(),
    time: 5,
    request: { httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: -1, ...request },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [],
      cookies: [],
      content: { size: 2, mimeType: 'application/json', text: '{}' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...response,
    },
    cache: {},
    timings: { send: 0, wait: 5, receive: 0 },
  };
}

export function writeHar(dir: string, entries: unknown[]): void {
  writeFileSync(join(dir, 'network.har'), JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } }));
}

/** Two distinct screenshots, before the first field and before Send. */
export async function writeMailScreens(dir: string): Promise<void> {
  mkdirSync(join(dir, 'screenshots'), { recursive: true });
  for (const [t, shade] of [
    [900, 40],
    [4800, 200],
  ] as const) {
    const png = await sharp({ create: { width: 160, height: 112, channels: 3, background: { r: shade, g: 90, b: 255 - shade } } })
      .png()
      .toBuffer();
    writeFileSync(join(dir, 'screenshots', `${String(t).padStart(6, '0')}.png`), png);
  }
}

import { REDACTED } from './redacted.ts';

const BEGIN = '-----BEGIN';
/** The rest of a PEM private-key header line (gitleaks' private-key rule): `-----BEGIN RSA PRIVATE KEY-----`. */
const KEY_HEADER = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/y;
const END = '-----END';
const END_TAIL = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/y;

/**
 * Masks PEM private-key blocks from their header to their footer, keeping both lines so a
 * reader sees what was there. A block with no footer (a body cut short) is masked to the end.
 * Found with indexOf, each part of the text looked at once.
 */
export function maskPrivateKeys(text: string): string {
  let at = text.indexOf(BEGIN);
  if (at < 0) return text;
  let out = '';
  let last = 0;
  while (at >= 0) {
    KEY_HEADER.lastIndex = at;
    const header = KEY_HEADER.exec(text);
    if (header === null) {
      at = text.indexOf(BEGIN, at + BEGIN.length);
      continue;
    }
    const bodyStart = at + header[0].length;
    let footerAt = text.indexOf(END, bodyStart);
    let footer: RegExpExecArray | null = null;
    while (footerAt >= 0) {
      END_TAIL.lastIndex = footerAt;
      footer = END_TAIL.exec(text);
      if (footer !== null) break;
      footerAt = text.indexOf(END, footerAt + END.length);
    }
    out += text.slice(last, bodyStart) + REDACTED;
    if (footer === null || footerAt < 0) return out;
    last = footerAt;
    at = text.indexOf(BEGIN, footerAt + footer[0].length);
  }
  return out + text.slice(last);
}

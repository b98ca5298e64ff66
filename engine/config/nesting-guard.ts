import type { Loc } from './located.ts';

/** Offset of the first bracket that opens deeper than `max`, ignoring quoted text and comments. */
export function flowDepthBeyond(text: string, max: number): number | undefined {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (quote === '#' ? c === '\n' : c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) quote = '#';
    else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

export function locFromOffset(text: string, file: string, offset: number): Loc {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { file, line, column, length: 1 };
}

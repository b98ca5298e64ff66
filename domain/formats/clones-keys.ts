/** rdev key names (Clones' recorder) for keys whose DOM `key` is not a printable character. */
const SPECIAL: Record<string, string> = {
  Return: 'Enter',
  Enter: 'Enter',
  KpReturn: 'Enter',
  Backspace: 'Backspace',
  Tab: 'Tab',
  Escape: 'Escape',
  Space: ' ',
  Delete: 'Delete',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  CapsLock: 'CapsLock',
  UpArrow: 'ArrowUp',
  DownArrow: 'ArrowDown',
  LeftArrow: 'ArrowLeft',
  RightArrow: 'ArrowRight',
  ShiftLeft: 'Shift',
  ShiftRight: 'Shift',
  ControlLeft: 'Control',
  ControlRight: 'Control',
  MetaLeft: 'Meta',
  MetaRight: 'Meta',
  Alt: 'Alt',
  AltGr: 'AltGraph',
  Function: 'Fn',
  Insert: 'Insert',
  F1: 'F1',
  F2: 'F2',
  F3: 'F3',
  F4: 'F4',
  F5: 'F5',
  F6: 'F6',
  F7: 'F7',
  F8: 'F8',
  F9: 'F9',
  F10: 'F10',
  F11: 'F11',
  F12: 'F12',
};

/** `UnicodeInfo { name: Some("c"), unicode: [99], is_dead: false }` → "c"; None → undefined. */
export function charFromUnicodeInfo(info: unknown): string | undefined {
  if (typeof info !== 'string') return undefined;
  const m = /name:\s*Some\("((?:[^"\\]|\\.)*)"\)/.exec(info);
  if (m?.[1] === undefined) return undefined;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return m[1];
  }
}

/**
 * The DOM-style key for an rdev key code and the character it produced: named keys by their
 * name, printable keys by the character actually typed (which knows shift and layout), else
 * derived from the code (`KeyC` → "c", `Num1` → "1").
 */
export function keyFromRdev(code: string, actualChar: unknown): string {
  const special = SPECIAL[code];
  if (special !== undefined) return special;
  const ch = charFromUnicodeInfo(actualChar);
  if (ch !== undefined && ch !== '' && !/^[\u0000-\u001f\u007f]$/.test(ch)) return ch;
  const letter = /^Key([A-Z])$/.exec(code)?.[1];
  if (letter !== undefined) return letter.toLowerCase();
  const digit = /^(?:Num|Digit|Kp)(\d)$/.exec(code)?.[1];
  if (digit !== undefined) return digit;
  return code;
}

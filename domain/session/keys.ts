/** Key names as KeyboardEvent.key spells them, and how the normalizer treats each. */

const MODIFIER_ALIASES: Record<string, string> = {
  control: 'Control',
  ctrl: 'Control',
  controlleft: 'Control',
  controlright: 'Control',
  shift: 'Shift',
  shiftleft: 'Shift',
  shiftright: 'Shift',
  alt: 'Alt',
  option: 'Alt',
  altleft: 'Alt',
  altright: 'Alt',
  altgraph: 'AltGraph',
  meta: 'Meta',
  metaleft: 'Meta',
  metaright: 'Meta',
  cmd: 'Meta',
  command: 'Meta',
  os: 'Meta',
  super: 'Meta',
  win: 'Meta',
};

/** Modifiers in the order a hotkey lists them. */
export const MODIFIER_ORDER = ['Control', 'Alt', 'Shift', 'Meta'] as const;

/** The canonical modifier name ('Control', 'Shift', 'Alt', 'Meta', 'AltGraph') or undefined. */
export function modifierOf(key: string): string | undefined {
  return MODIFIER_ALIASES[key.toLowerCase()];
}

/** Keys that only move or toggle and end a typing run without editing it. */
const LOCK_KEYS = new Set(['CapsLock', 'NumLock', 'ScrollLock', 'Fn', 'FnLock', 'Dead', 'Unidentified', 'Process']);

/** True for a key that produces one character of text ('a', 'É', ' ', '€'). */
export function isPrintable(key: string): boolean {
  if (key.length === 0) return false;
  // One user-perceived character: one code point, or a short grapheme (emoji with modifiers).
  const cps = [...key];
  if (cps.length === 1) return !/\p{Cc}/u.test(key);
  return cps.length <= 4 && /\p{Extended_Pictographic}/u.test(key);
}

/** Keys that are ignored entirely (they type nothing and are not commands). */
export function isInert(key: string): boolean {
  return LOCK_KEYS.has(key);
}

/** Canonical spelling of a key inside a hotkey: letters lower-case, modifiers by canonical name. */
export function hotkeyKey(key: string): string {
  const mod = modifierOf(key);
  if (mod) return mod;
  if (key === ' ') return 'Space';
  return [...key].length === 1 ? key.toLowerCase() : key;
}

/** Parses "Meta+Shift+S" into a canonical, order-free signature for comparison. */
export function hotkeySignature(keys: string[]): string {
  return keys
    .map((k) => hotkeyKey(k.trim()).toLowerCase())
    .sort()
    .join('+');
}

export function parseHotkey(spec: string): string[] {
  return spec.split('+').map((k) => (k === '' ? '+' : k));
}

/** Sorts modifiers held at the time into hotkey order. */
export function orderedModifiers(held: Set<string>): string[] {
  const out: string[] = MODIFIER_ORDER.filter((m) => held.has(m));
  if (held.has('AltGraph')) out.push('AltGraph');
  return out;
}

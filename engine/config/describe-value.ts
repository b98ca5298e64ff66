/**
 * A value an error names by its kind only ("a number", "a string"): what a recording holds may
 * be a secret (a PIN typed as a number, a token in a field of the wrong type), and an error
 * message reaches the terminal, the cache's run log and the API.
 */
export class UnquotedValue {
  constructor(readonly kind: string) {}
}

/** `value` as an error may show it from recorded data: its kind, never its text. */
export function unquoted(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === null) return new UnquotedValue('an empty value');
  if (Array.isArray(value)) return new UnquotedValue('a list');
  const kinds: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'true or false', object: 'a mapping' };
  return new UnquotedValue(kinds[typeof value] ?? 'a value');
}

/** How a value reads in an error message: `"abc"`, `3`, `a list`, `a mapping`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value instanceof UnquotedValue) return value.kind;
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
  bigint: 'an integer',
  date: 'a date',
};

export function expectedNoun(expected: string): string {
  return NOUNS[expected] ?? expected;
}

/** A library's sentence ("Invalid input") as the tail of ours ("invalid input"); acronyms stay as they are. */
export function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/**
 * The one rule for names that become folder names (session ids, example ids): letters,
 * digits, `.`, `_` and `-`, starting with a letter or digit; anything else is slugged.
 */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Whether `name` can be a folder name as it is. */
export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name);
}

/** `name` with every run of other characters turned into `-`, and leading `-`/`.` and trailing `-` cut ('' when nothing is left). */
export function slugName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. Trace text is untrusted: everything goes through this. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Joins pre-escaped fragments, skipping false/null/undefined (for conditional parts). */
export function join(parts: readonly (string | false | null | undefined)[], sep = ''): string {
  return parts.filter((p): p is string => typeof p === 'string').join(sep);
}

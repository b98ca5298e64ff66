/** Matching primitives of the evidence-rule language (domain/suite/evidence.ts). */

const regexCache = new Map<string, RegExp>();

/** `/regex/flags` is a regular expression; anything else matches exactly, ignoring case and outer spaces. */
export function textMatches(matcher: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const re = asRegex(matcher);
  if (re) return re.test(value);
  return matcher.trim().toLowerCase() === value.trim().toLowerCase();
}

function asRegex(matcher: string): RegExp | undefined {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(matcher);
  if (!m) return undefined;
  let re = regexCache.get(matcher);
  if (!re) {
    re = new RegExp(m[1]!, m[2]!.replace('g', ''));
    regexCache.set(matcher, re);
  }
  return re;
}

const urlCache = new Map<string, RegExp>();

/**
 * Matches a URL's path against a glob where `*` is one segment, `**` any number
 * of segments, and `:name` captures a segment. Returns the captures, or null.
 */
export function matchUrl(pattern: string, url: string): Record<string, string> | null {
  let re = urlCache.get(pattern);
  if (!re) {
    re = compileUrlPattern(pattern);
    urlCache.set(pattern, re);
  }
  const m = re.exec(urlPath(url));
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = safeDecode(v);
  return params;
}

function compileUrlPattern(pattern: string): RegExp {
  const segments = pattern.replace(/^\/+/, '').split('/');
  let src = '^';
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '**') {
      src += last ? '(?:/.*)?' : '(?:/[^/]+)*';
      return;
    }
    src += '/';
    src += seg
      .split(/(:[A-Za-z_][A-Za-z0-9_]*|\*)/)
      .map((part) => {
        if (part === '*') return '[^/]+';
        if (part.startsWith(':')) return `(?<${part.slice(1)}>[^/]+)`;
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
  });
  return new RegExp(`${src}/?$`);
}

function urlPath(url: string): string {
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

export function urlQuery(url: string): Record<string, string> {
  try {
    return Object.fromEntries(new URL(url, 'http://localhost').searchParams);
  } catch {
    return {};
  }
}

/** `nonEmpty`, `empty`, `absent`, `present`, or an exact value. */
export function queryMatches(matcher: string, value: string | undefined): boolean {
  switch (matcher) {
    case 'nonEmpty':
      return value !== undefined && value.trim() !== '';
    case 'empty':
      return value === undefined || value.trim() === '';
    case 'absent':
      return value === undefined;
    case 'present':
      return value !== undefined;
    default:
      return value !== undefined && textMatches(matcher, value);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Requires `Authorization: Bearer <token>` (compared in constant time); otherwise a 401. */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null || !timingSafeEqual(digest(match[1]!), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="tracepipe"');
      throw new ApiError(
        401,
        'unauthorized',
        match === null ? 'send the server token as Authorization: Bearer <TRACEPIPE_TOKEN>' : 'the bearer token is wrong',
      );
    }
    await next();
  };
}

/**
 * Without a token the server is for this machine only: a request must name a loopback
 * host, so a web page cannot reach it through DNS rebinding.
 */
export function loopbackHostOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (!isLoopbackHost(new URL(c.req.url).hostname)) {
      throw new ApiError(403, 'forbidden', 'this server answers only requests to localhost or 127.0.0.1; start it with a TRACEPIPE_TOKEN to serve other hosts');
    }
    await next();
  };
}

/** The API's answers are not to be cached or sniffed (images set their own caching). */
export function apiHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || host.toLowerCase().endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);
}

import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { SqliteStore } from '../engine/cache/sqlite.ts';
import { TracepipeError } from '../engine/errors.ts';
import type { StageRegistry } from '../engine/stage.ts';
import { createApp } from './api/app.ts';
import { isLoopbackHost } from './api/guards.ts';

export interface ServerOptions {
  /** The SQLite cache file runs write to (`<cache dir>/cache.db`). */
  cacheFile: string;
  /** Default 127.0.0.1. Any other address requires `token`. */
  host?: string;
  /** Default 0: any free port (see the returned url). */
  port?: number;
  token?: string;
  pages?: (app: Hono) => void;
  registry: StageRegistry;
  pollMs?: number;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/** A port in use or an address this machine does not have is the command line's problem, not a bug. */
function listenError(host: string, port: number, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES') return err;
  return new TracepipeError('TP_CONFIG', `cannot listen on ${host}:${port} (${code})`, {
    cause: err,
    hint:
      code === 'EADDRINUSE'
        ? 'Another program uses that port: pass another --port (0 picks a free one).'
        : 'Pass a --host this machine has and a --port you may open (1024 and above).',
  });
}

/**
 * Serves the status API over a cache file, on Node. It opens its own connection: runs
 * in other processes keep writing (WAL lets readers in), and the server writes only
 * review decisions.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const requireToken = !isLoopbackHost(host);
  if (requireToken && !opts.token) {
    throw new TracepipeError('TP_CONFIG', `binding to ${host} makes the status API reachable from other machines, so it needs a token: set TRACEPIPE_TOKEN`, {
      hint: 'Clients then send it as Authorization: Bearer <token>. Or leave --host at 127.0.0.1.',
    });
  }
  const store = new SqliteStore(opts.cacheFile, { busyTimeoutMs: 5_000 });
  let app: Hono;
  try {
    app = createApp({ store, token: opts.token, requireToken, pages: opts.pages, registry: opts.registry, pollMs: opts.pollMs, log: opts.log });
  } catch (err) {
    store.close();
    throw err;
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, () => resolve(s));
    s.once('error', reject);
  }).catch((err: unknown) => {
    store.close();
    throw listenError(host, opts.port ?? 0, err);
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        // Open event streams would hold the server open: end them with their sockets.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}

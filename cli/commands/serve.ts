import { TracepipeError } from '../../engine/errors.ts';
import { startServer } from '../../web/server.ts';
import { mountPages } from '../../web/pages/index.ts';
import { cacheFile, EXIT, type Io } from '../io.ts';

/** `tracepipe serve`: runs the status API and the web pages until SIGINT or SIGTERM. */
export async function serveCommand(io: Io, args: { port: string; host: string; cache?: string }, stop?: AbortSignal): Promise<number> {
  if (!/^\d{1,5}$/.test(args.port) || Number(args.port) > 65_535)
    throw new TracepipeError('TP_INPUT', `--port must be a port number (0-65535), not ${args.port}`);
  const server = await startServer({
    cacheFile: cacheFile(io, args.cache),
    host: args.host,
    port: Number(args.port),
    token: io.env.TRACEPIPE_TOKEN || undefined,
    pages: mountPages,
    registry: io.registry,
    log: (m) => io.err(m),
  });
  io.out(`tracepipe serving ${server.url}/ (API: ${server.url}/api/runs, OpenAPI: ${server.url}/api/openapi.json); Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    stop?.addEventListener('abort', done, { once: true });
  });
  await server.close();
  return EXIT.ok;
}

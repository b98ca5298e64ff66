import { setImmediate as nextTurn } from 'node:timers/promises';
import { TracepipeError } from '../../engine/errors.ts';
import { requestSelector } from '../../domain/network/index.ts';
import type { NetworkRequest } from '../../domain/session/timeline.ts';
import { readNetworkFile } from '../../domain/session/validate.ts';
import type { NormalizeOptions } from './options.ts';
import type { DraftStep } from './reduce.ts';

/** Entries redacted between two looks at the run's signal (each takes well under a millisecond). */
const ENTRIES_PER_TURN = 64;

/**
 * The session's requests the options keep, credentials masked (each kept entry is redacted
 * before its bodies are cut and the request again after). Yields to the event loop every
 * ENTRIES_PER_TURN entries so SIGINT/SIGTERM are seen, and stops with TP_ABORTED once
 * `signal` is aborted.
 */
export async function loadNetwork(dir: string, opts: NormalizeOptions['network'], startedAtMs: number, signal?: AbortSignal): Promise<NetworkRequest[]> {
  const har = await readNetworkFile(dir);
  const keep = requestSelector({
    include: opts.include,
    exclude: opts.exclude,
    dropStaticAssets: opts.dropStaticAssets,
    startedAtMs,
    maxBodyChars: opts.maxBodyChars,
  });
  const out: NetworkRequest[] = [];
  const entries = har.log.entries;
  for (let i = 0; i < entries.length; i++) {
    if (i % ENTRIES_PER_TURN === 0 && i > 0) {
      await nextTurn();
      if (signal?.aborted) throw new TracepipeError('TP_ABORTED', 'normalize was interrupted while reading network.har');
    }
    const req = keep(entries[i]!, i);
    if (req !== undefined) out.push(req);
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * Attaches each request to the step it follows: the last step whose t0 is at or before the
 * request's time. Requests before the first step are returned as the preamble.
 */
export function attachNetwork(steps: DraftStep[], requests: NetworkRequest[]): NetworkRequest[] {
  const preamble: NetworkRequest[] = [];
  const sorted = [...requests].sort((a, b) => a.t - b.t);
  for (const req of sorted) {
    let lo = 0;
    let hi = steps.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (steps[mid]!.t0 <= req.t) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0) preamble.push(req);
    else steps[at]!.network.push(req);
  }
  return preamble;
}

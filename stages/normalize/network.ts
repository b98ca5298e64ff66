import { selectRequests } from '../network/index.ts';
import type { NetworkRequest } from '../session/timeline.ts';
import { readNetworkFile } from '../session/validate.ts';
import type { NormalizeOptions } from './options.ts';
import type { DraftStep } from './reduce.ts';

/**
 * The session's requests the options keep, credentials masked (selectRequests redacts each
 * kept entry before its bodies are cut and the request again after).
 */
export async function loadNetwork(dir: string, opts: NormalizeOptions['network'], startedAtMs: number): Promise<NetworkRequest[]> {
  const har = await readNetworkFile(dir);
  return selectRequests(har.log.entries, {
    include: opts.include,
    exclude: opts.exclude,
    dropStaticAssets: opts.dropStaticAssets,
    startedAtMs,
    maxBodyChars: opts.maxBodyChars,
  });
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

/**
 * A small load loop for bench/serve: GETs one URL for a while with `concurrency`
 * requests in flight and prints latency figures as one JSON line. Run it in its own
 * process so the client does not share the server's event loop.
 *
 *   node bench/serve/load.ts <url> <seconds> [concurrency]
 */
const [url, seconds = '5', concurrency = '1'] = process.argv.slice(2);
if (!url) throw new Error('usage: load.ts <url> <seconds> [concurrency]');

const latencies: number[] = [];
let errors = 0;
const until = performance.now() + Number(seconds) * 1000;

async function worker(): Promise<void> {
  while (performance.now() < until) {
    const t = performance.now();
    try {
      const res = await fetch(url!);
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
process.stdout.write(
  JSON.stringify({
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    medianMs: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: latencies.at(-1) ?? NaN,
  }) + '\n',
);

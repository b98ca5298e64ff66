/**
 * The fake OpenAI-compatible server in its own process, as a real endpoint would
 * be: the bench's CPU work (prompt rendering, hashing) must not delay the
 * server's clock. Prints `{"url": ...}` on stdout; exits when stdin closes.
 * Usage: node --import tsx bench/llm/server.ts <latencyMs> <perSecond>
 */
import { startFakeOpenAI } from '../../test/fakes/index.ts';

const latencyMs = Number(process.argv[2] ?? 200);
const perSecond = Number(process.argv[3] ?? 20);
const server = await startFakeOpenAI({
  latencyMs,
  rateLimit: { perSecond },
  handler: (req) => ({ json: { spans: [] }, usage: { prompt_tokens: Math.round(JSON.stringify(req.body).length / 4), completion_tokens: 12 } }),
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));

import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, devCli } from '../helpers/cli.ts';
import { expectApiError, testWorkspace } from './helpers.ts';

/** The real `tracepipe serve` command in a child process. */
function serve(args: string[], opts: { cwd: string; env?: Record<string, string> }) {
  const env: Record<string, string | undefined> = { ...process.env, CI: '1', ...opts.env };
  if (!opts.env?.TRACEPIPE_TOKEN) delete env.TRACEPIPE_TOKEN;
  const child = spawn(process.execPath, [devCli(), 'serve', ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const closed = new Promise<number | null>((r) => child.once('close', r));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /(http:\/\/[^\s/]+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    void closed.then(() => reject(new Error(`serve exited: ${out}${err}`)));
  });
  return { child, url, closed, output: () => out + err };
}

describe('tracepipe serve', () => {
  let ws: ReturnType<typeof testWorkspace>;
  beforeAll(async () => {
    ws = testWorkspace(3, { failing: [] });
    expect((await cli(['exec', 'p.yaml'], { cwd: ws.dir })).code).toBe(0);
  });

  it('serves the cache folder on 127.0.0.1 until SIGTERM', async () => {
    const s = serve(['--port', '0'], { cwd: ws.dir });
    const url = await s.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { runs } = (await (await fetch(`${url}/api/runs`)).json()) as { runs: { pipelineName: string }[] };
    expect(runs.map((r) => r.pipelineName)).toEqual(['web']);
    expect((await fetch(`${url}/api/openapi.json`)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.closed).toBe(0);
  }, 30_000);

  it('bound to another address, needs TRACEPIPE_TOKEN to start, then answers 401 without it', async () => {
    const refused = serve(['--port', '0', '--host', '0.0.0.0'], { cwd: ws.dir });
    refused.url.catch(() => undefined);
    expect(await refused.closed).toBe(2);
    expect(refused.output()).toMatch(/TP_CONFIG binding to 0\.0\.0\.0 .* set TRACEPIPE_TOKEN/);

    const s = serve(['--port', '0', '--host', '0.0.0.0'], { cwd: ws.dir, env: { TRACEPIPE_TOKEN: 'cli-token' } });
    const port = new URL(await s.url).port;
    await expectApiError(await fetch(`http://127.0.0.1:${port}/api/runs`), 401, 'unauthorized');
    expect((await fetch(`http://127.0.0.1:${port}/api/runs`, { headers: { Authorization: 'Bearer cli-token' } })).status).toBe(200);
    s.child.kill('SIGINT');
    expect(await s.closed).toBe(0);
  }, 30_000);

  it('refuses a port that is not a number', async () => {
    const s = serve(['--port', 'http'], { cwd: ws.dir });
    s.url.catch(() => undefined);
    expect(await s.closed).toBe(2);
    expect(s.output()).toMatch(/--port must be a port number/);
  }, 30_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noRunMessage } from '../../app/run-lookup.ts';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { createApp } from '../../web/api/index.ts';
import { cli } from '../helpers/cli.ts';
import { testRegistry } from '../helpers/test-stages.ts';
import { expectApiError, testWorkspace } from './helpers.ts';
import { codeSpelling } from '../helpers/source-files.ts';

/** Every command and every route that takes a run says the same thing about one the cache does not hold. */

const UNKNOWN = '20991231-000000-abcdef';

describe('a run the cache does not hold: one wording for the CLI and the API', () => {
  let ws: ReturnType<typeof testWorkspace>;
  let store: SqliteStore;
  let known: string;

  beforeAll(async () => {
    ws = testWorkspace(2, { failing: [] });
    expect((await cli(['exec', 'p.yaml'], { cwd: ws.dir })).code).toBe(0);
    store = new SqliteStore(ws.cacheFile);
    known = store.listRuns(1)[0]!.id;
  });
  afterAll(() => store.close());

  it.each([
    [['status', UNKNOWN]],
    [['resume', UNKNOWN]],
    [['report', UNKNOWN, '--out', 'r.html']],
    [['compare', UNKNOWN, 'latest']],
    [['review', 'list', '--run', UNKNOWN]],
  ])('tracepipe %j', async (argv) => {
    const r = await cli(argv, { cwd: ws.dir, builtin: true });
    expect(r).toEqual({ code: 2, out: '', err: `TP_INPUT ${noRunMessage(UNKNOWN, ws.cacheFile)}\nhint: list runs with \`tracepipe runs\`.\n` });
  });

  it('tracepipe compare names the second run the same way', async () => {
    const r = await cli(['compare', known, UNKNOWN], { cwd: ws.dir, builtin: true });
    expect(r.err).toBe(`TP_INPUT ${noRunMessage(UNKNOWN, ws.cacheFile)}\nhint: list runs with \`tracepipe runs\`.\n`);
  });

  it.each([
    `/api/runs/${UNKNOWN}`,
    `/api/runs/${UNKNOWN}/items`,
    `/api/runs/${UNKNOWN}/errors`,
    `/api/runs/${UNKNOWN}/events`,
    `/api/compare?a=${UNKNOWN}&b=<known>`,
    `/api/review?run=${UNKNOWN}`,
    `/api/examples/item-1?run=${UNKNOWN}`,
  ])('GET %s', async (path) => {
    const app = createApp({ store, requireToken: false, registry: testRegistry, log: () => {} });
    const body = await expectApiError(await app.request(path.replace('<known>', known)), 404, 'not_found');
    expect(body.error.message).toBe(`${noRunMessage(UNKNOWN, 'this cache')}; GET /api/runs lists the runs`);
  });
});

describe('no second copy of the wording', () => {
  it('only app/run-lookup.ts words a missing run', () => {
    expect(codeSpelling(/['"`](no runs yet in|no run \$\{|unknown run)/, { except: ['app/run-lookup.ts'] })).toEqual([]);
  });
});

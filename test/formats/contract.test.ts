/**
 * The format contract, run over every importer in domain/formats' map: each detects its own
 * samples and none of the other formats' (every pair), writes sessions that pass the
 * validation load applies, writes the same ids and the same bytes when it imports the same
 * recording twice, and masks a credential planted in a copy of a sample wherever the format
 * carries one. A format added to the map without an entry in CONTRACT fails here.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectFormat, formats, type FormatName } from '../../domain/formats/index.ts';
import { validateSession } from '../../domain/session/validate.ts';
import { REDACTED } from '../../engine/secrets/index.ts';
import { repoRoot } from '../helpers/cli.ts';
import { outputTree } from '../helpers/output-tree.ts';

const fixtures = (p: string) => join(repoRoot, 'fixtures', p);
/** The shared real recordings (read-only: every test works on a copy). */
const real = (p: string) => join(repoRoot, '../shared/data/real', p);

/** A GitHub token by shape, and a password only a password field makes secret. */
const TOKEN = 'ghp_Q7rT2mX9kLw4Zp8Nc3Vb6Hj1Ds5Fg0Ay2Ke7';
const PASSWORD = 'correct horse battery staple 42';
/** A task text (a session's description, the training example's user turn) with a pasted credential. */
const taskWithToken = `Sign in with the token ${TOKEN} and archive the newsletter.`;

interface FormatContract {
  /** Recordings in this format, files or folders. */
  samples: string[];
  /**
   * Plants TOKEN (and PASSWORD where the format has password fields) in `copy`, a private copy
   * of samples[0], in the fields of the format that can carry a credential whole: a header, a
   * cookie, a URL, a typed value, the task text.
   */
  plant: (copy: string) => void;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2));
type Obj = Record<string, any>;

function withQueryToken(url: string): string {
  const u = new URL(url);
  u.searchParams.set('access_token', TOKEN);
  return u.href;
}

/** A HAR's first request gets an Authorization header and a session cookie carrying TOKEN. */
function plantInHar(har: Obj): void {
  const request = har.log.entries[0].request;
  request.headers.push({ name: 'Authorization', value: `Bearer ${TOKEN}` }, { name: 'Cookie', value: `sid=${TOKEN}` });
}

const CONTRACT: Record<FormatName, FormatContract> = {
  native: {
    samples: [fixtures('sessions/reply-sam-lunch'), fixtures('formats/corpus/keyboard-login/native')],
    plant: (dir) => {
      const meta = readJson(join(dir, 'session.json')) as Obj;
      writeJson(join(dir, 'session.json'), { ...meta, description: taskWithToken });
      const har = readJson(join(dir, 'network.har')) as Obj;
      plantInHar(har);
      writeJson(join(dir, 'network.har'), har);
      const events = readFileSync(join(dir, 'input_events.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Obj);
      const t = events.at(-1)!.t as number;
      events.push(
        { type: 'input', t, value: PASSWORD, target: { tag: 'input', inputType: 'password', selector: '#password' } },
        { type: 'navigate', t, url: withQueryToken('http://127.0.0.1:4000/#/inbox') },
      );
      writeFileSync(join(dir, 'input_events.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    },
  },
  extension: {
    samples: [fixtures('formats/extension/compose-email')],
    plant: (dir) => {
      const input = join(dir, 'input');
      const file = join(
        input,
        readdirSync(input)
          .sort()
          .find((n) => (readJson(join(input, n)) as Obj).action === 'input')!,
      );
      const event = readJson(file) as Obj;
      event.url = withQueryToken(event.url as string);
      event.additional_info.value = TOKEN;
      writeJson(file, event);
    },
  },
  playwright: {
    samples: [
      real('playwright/trace-1.37.zip'),
      real('playwright/trace-1.31.zip'),
      real('playwright/test-trace1.zip'),
      real('playwright/trace-library-1.46.zip'),
      fixtures('formats/corpus/keyboard-login/trace.zip'),
    ],
    plant: (zip) => {
      const files = unzipSync(readFileSync(zip));
      const network = Object.keys(files).find((n) => n.endsWith('.network') && files[n]!.length > 0)!;
      const text = Buffer.from(files[network]!).toString('utf8');
      const planted = text.replace('"headers":[', `"headers":[{"name":"Authorization","value":"Bearer ${TOKEN}"},{"name":"Cookie","value":"sid=${TOKEN}"},`);
      expect(planted).not.toBe(text);
      files[network] = new Uint8Array(Buffer.from(planted));
      writeFileSync(zip, zipSync(files));
    },
  },
  har: {
    samples: [real('playwright/har-redirect.har'), real('playwright/har-fulfill.har'), fixtures('formats/corpus/keyboard-login/network.har')],
    plant: (file) => {
      const har = readJson(file) as Obj;
      plantInHar(har);
      har.log.entries[0].request.url = withQueryToken(har.log.entries[0].request.url as string);
      writeJson(file, har);
    },
  },
  rrweb: {
    samples: [real('rrweb/rrweb_form_interactions.json'), fixtures('formats/corpus/keyboard-login/rrweb.json')],
    plant: (file) => {
      const recording = readJson(file) as Obj[];
      const meta = recording.find((e) => e.type === 4)!; // Meta: the page's address
      meta.data.href = withQueryToken(meta.data.href as string);
      writeJson(file, recording);
    },
  },
  chromeRecorder: {
    samples: [real('chrome-recorder/benchmark.json'), fixtures('formats/real/chrome-recorder/everything.json')],
    plant: (file) => {
      const recording = readJson(file) as { steps: Obj[] };
      const navigate = recording.steps.find((s) => s.type === 'navigate')!;
      navigate.url = withQueryToken(navigate.url as string);
      writeJson(file, { ...recording, title: taskWithToken });
    },
  },
  clones: {
    samples: [real('clones-desktop/20250817_232256')],
    // pointer, wheel and accessibility-tree events carry no credential; the task title does
    plant: (dir) => {
      const meta = readJson(join(dir, 'meta.json')) as Obj;
      writeJson(join(dir, 'meta.json'), { ...meta, quest: { ...meta.quest, objectives: [...meta.quest.objectives, taskWithToken] } });
    },
  },
  opencua: {
    samples: [fixtures('formats/opencua/episode-0001')],
    // keys are recorded one press at a time; the task text is where a credential can be whole
    plant: (dir) => {
      const task = readJson(join(dir, 'task_name.json')) as Obj;
      writeJson(join(dir, 'task_name.json'), { ...task, description: taskWithToken });
    },
  },
  opencuaBench: {
    samples: [real('opencua-agentnetbench')],
    // typed text becomes one key event per character; the task text is where a credential can be whole
    plant: (dir) => {
      const file = join(
        dir,
        readdirSync(dir).find((n) => n.endsWith('.json'))!,
      );
      const episode = readJson(file) as Obj;
      writeJson(file, { ...episode, user_task_description: taskWithToken });
    },
  },
};

/** A private copy of a sample (file or folder) in a new temp folder. */
function copyOf(sample: string): string {
  const to = join(mkdtempSync(join(tmpdir(), 'tp-contract-')), basename(sample));
  cpSync(sample, to, { recursive: true });
  return to;
}

const outDir = () => mkdtempSync(join(tmpdir(), 'tp-contract-out-'));

/** Every byte the import wrote, as text (binary files included: a secret must not be in them either). */
function writtenText(root: string): string {
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p).toString('latin1'));
    }
  };
  walk(root);
  return parts.join('\n');
}

const count = (text: string, part: string) => text.split(part).length - 1;

const NAMES = Object.keys(formats) as FormatName[];

function testFormat(name: FormatName, contract: FormatContract | undefined): void {
  describe(`format ${name}`, () => {
    it('has samples in the contract', () => {
      expect(contract, `CONTRACT has no entry for the importer "${name}": add its samples`).toBeDefined();
      expect(contract!.samples.length).toBeGreaterThan(0);
      for (const s of contract!.samples) expect(existsSync(s), s).toBe(true);
    });
    if (contract === undefined) return;

    it('detects each of its samples, and detection picks it', async () => {
      for (const sample of contract.samples) {
        const copy = copyOf(sample);
        expect(await formats[name].detect(copy), sample).toBe(true);
        expect(await detectFormat(copy), sample).toBe(name);
      }
    });

    it("detects none of the other formats' samples", async () => {
      const claimed: string[] = [];
      for (const other of NAMES.filter((n) => n !== name)) {
        for (const sample of CONTRACT[other]?.samples ?? []) if (await formats[name].detect(copyOf(sample))) claimed.push(`${other}: ${sample}`);
      }
      expect(claimed).toEqual([]);
    });

    it('writes native sessions that pass the validation load applies, one folder per returned id', async () => {
      for (const sample of contract.samples) {
        const out = outDir();
        const ids = await formats[name].convert(copyOf(sample), out, {});
        expect(ids.length, sample).toBeGreaterThan(0);
        expect(readdirSync(out).sort(), sample).toEqual([...ids].sort());
        for (const id of ids) {
          const summary = await validateSession(join(out, id));
          expect(summary.meta.id, `${sample} ${id}`).toBe(id);
        }
      }
    });

    it('gives the same ids and byte-identical files when it imports a recording twice', async () => {
      for (const sample of contract.samples) {
        const [a, b] = [outDir(), outDir()];
        const idsA = await formats[name].convert(copyOf(sample), a, {});
        const idsB = await formats[name].convert(copyOf(sample), b, {});
        expect(idsB, sample).toEqual(idsA);
        expect(outputTree(b), sample).toEqual(outputTree(a));
      }
    });

    it('masks a credential planted in a sample: it reaches the output only as [REDACTED]', async () => {
      const sample = contract.samples[0]!;
      const plain = outDir();
      await formats[name].convert(copyOf(sample), plain, {});
      const copy = copyOf(sample);
      contract.plant(copy);
      const out = outDir();
      await formats[name].convert(copy, out, {});
      const written = writtenText(out);
      expect(count(written, TOKEN)).toBe(0);
      expect(count(written, PASSWORD)).toBe(0);
      // the planted fields were kept, masked, not dropped
      expect(count(written, REDACTED)).toBeGreaterThan(count(writtenText(plain), REDACTED));
    });
  });
}

describe('the format contract covers exactly the importer map', () => {
  it('has an entry for every importer and none for a format that is not in the map', () => {
    expect(Object.keys(CONTRACT).sort()).toEqual([...NAMES].sort());
  });
});

for (const name of NAMES) testFormat(name, CONTRACT[name]);

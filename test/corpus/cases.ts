import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TruthStep } from '../../fixtures/recorder/corpus/actions.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import { loadAndNormalize } from '../normalize/run-stages.ts';

const FORMATS_DIR = fileURLToPath(new URL('../../fixtures/formats/', import.meta.url));

/** One recording and the truth it must reduce to. */
export interface CorpusCase {
  /** `<scenario> [<format>]` for own recordings, `<source>/<case>` for public ones. */
  name: string;
  format: string;
  /** The recording: a file or a native session folder. */
  path: string;
  truth: TruthStep[];
}

interface TruthFile {
  id: string;
  /** Own recordings: format → recording path relative to the truth file's folder. */
  formats?: Record<string, string>;
  /** Public recordings: one recording, relative to fixtures/formats/real/. */
  recording?: string;
  format?: string;
  steps: TruthStep[];
}

const readTruth = (file: string): TruthFile => JSON.parse(readFileSync(file, 'utf8')) as TruthFile;
const folders = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];

/** Every case: each own scenario once per format it was recorded in, then each public case. */
export function corpusCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const own = join(FORMATS_DIR, 'corpus');
  for (const id of folders(own)) {
    const truth = readTruth(join(own, id, 'truth.json'));
    for (const [format, rel] of Object.entries(truth.formats ?? {})) {
      const seen = truth.steps.filter((s) => s.formats === undefined || s.formats.includes(format as never));
      const steps = seen.map(({ noTargetIn, target, ...s }) => (target === undefined || noTargetIn?.includes(format as never) ? s : { ...s, target }));
      cases.push({ name: `${id} [${format}]`, format, path: join(own, id, rel), truth: steps });
    }
  }
  const real = join(FORMATS_DIR, 'real', 'cases');
  for (const id of folders(real)) {
    const truth = readTruth(join(real, id, 'truth.json'));
    if (truth.recording === undefined || truth.format === undefined) throw new Error(`${join(real, id, 'truth.json')}: needs recording and format`);
    cases.push({ name: `real/${id}`, format: truth.format, path: join(FORMATS_DIR, 'real', truth.recording), truth: truth.steps });
  }
  return cases;
}

/**
 * The steps a pipeline makes of the recording: the real load stage (which imports it under
 * `cacheDir`) and the real normalize stage, without screenshots.
 */
export async function reduceCase(c: CorpusCase, cacheDir: string): Promise<Timeline> {
  return (await loadAndNormalize(c.path, { screenshots: { enabled: false } }, { cacheDir, id: c.name })).timeline;
}

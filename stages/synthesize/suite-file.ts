import { TracepipeError } from '../../engine/errors.ts';
import { sha256 } from '../../engine/hash.ts';
import type { FileSet } from '../../engine/stage.ts';
import { parseSuite, type Suite } from '../suite/index.ts';

/** Parsed suites by file and text hash: every session of a run reads the same suite. */
const parsed = new Map<string, Suite>();

/** The pipeline's suite, read through the stage's declared key files. */
export function readSuite(files: FileSet, file: string | undefined): Suite | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = files.read(file);
  } catch (e) {
    throw new TracepipeError('TP_CONFIG', `suite ${file} cannot be read`, { location: { file }, cause: e });
  }
  const key = `${file}\u0000${sha256(text)}`;
  let suite = parsed.get(key);
  if (suite === undefined) {
    suite = parseSuite(text, file);
    if (parsed.size > 16) parsed.clear();
    parsed.set(key, suite);
  }
  return suite;
}

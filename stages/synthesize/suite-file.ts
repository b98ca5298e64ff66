import { TracepipeError } from '../../engine/errors.ts';
import type { FileSet } from '../../engine/stage.ts';
import { parseSuiteCached, type Suite } from '../../domain/suite/index.ts';

/** The pipeline's suite, read through the stage's declared key files. */
export function readSuite(files: FileSet, file: string | undefined): Suite | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = files.read(file);
  } catch (e) {
    throw new TracepipeError('TP_CONFIG', `suite ${file} cannot be read`, { location: { file }, cause: e });
  }
  return parseSuiteCached(text, file);
}

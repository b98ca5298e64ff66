import { formatLocation } from '../../engine/errors.ts';
import type { FileSet } from '../../engine/stage.ts';
import { locateInSuite, type Suite } from '../../domain/suite/index.ts';
import type { StrictProblem } from './openai/response-schema.ts';

/** `suites/x.yaml:12:9` for a strict-schema problem, read through the run's FileSet. */
export function locateSuiteField(suite: Suite, files: FileSet, p: StrictProblem): string {
  const loc = locateInSuite(files.read(suite.file), suite.file, ['actions', p.action, 'parameters', ...p.path]);
  return formatLocation({ file: loc.file, ...(loc.line === undefined ? {} : { line: loc.line }), ...(loc.column === undefined ? {} : { column: loc.column }) });
}

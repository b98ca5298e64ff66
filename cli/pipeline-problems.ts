import type { Diagnostic } from '../engine/config/index.ts';
import { TracepipeError } from '../engine/errors.ts';

/**
 * A pipeline that did not validate, thrown by the commands that load one. The printer
 * shows every diagnostic with its source line (`sources` holds the texts); with --json
 * the diagnostics are the error's `details.diagnostics`.
 */
export class PipelineProblems extends TracepipeError {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;

  constructor(what: string, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, outcome = 'nothing was run') {
    const n = diagnostics.length;
    super('TP_CONFIG', `${n} problem${n === 1 ? '' : 's'} in ${what}; ${outcome}`, { details: { diagnostics } });
    this.diagnostics = diagnostics;
    this.sources = sources;
  }
}

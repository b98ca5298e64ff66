import type { Diagnostic } from './types.ts';
import type { LMap, Loc } from './located.ts';
import { locate } from './located.ts';
import { applyOverlay } from './overlay.ts';
import { makeDiagnostic } from './make-diagnostic.ts';
import { didYouMean, listNames } from './did-you-mean.ts';
import { readYamlFile } from './read-yaml.ts';
import type { Rule } from './rules/rule-context.ts';

/** Names `--variant` takes as a command rather than a variant. */
const RESERVED_VARIANT_NAMES = ['all'];

export function variantNames(root: LMap): string[] {
  const section = root.entries.get('variants')?.value;
  return section?.kind === 'map' ? [...section.entries.keys()] : [];
}

/** The variant's overrides deep-merged onto the pipeline, or a diagnostic naming the variants there are. */
export function applyVariant(root: LMap, name: string): { root: LMap; diagnostics: Diagnostic[] } {
  const known = variantNames(root);
  const overlay = root.entries.get('variants')?.value;
  const entry = overlay?.kind === 'map' ? overlay.entries.get(name) : undefined;
  if (entry === undefined) {
    const label = `--variant ${name}`;
    const loc: Loc = { file: label, line: 1, column: '--variant '.length + 1, length: name.length };
    const hint = known.length === 0 ? 'This pipeline defines no variants.' : `Variants in this pipeline: ${listNames(known)}.`;
    return { root, diagnostics: [makeDiagnostic(loc, `unknown variant "${name}"${didYouMean(name, known)}`, ['variants', name], hint)] };
  }
  if (entry.value.kind !== 'map') {
    const path = ['variants', name];
    return { root, diagnostics: [makeDiagnostic(locate(root, path), `variant "${name}" must be a mapping of overrides`, path)] };
  }
  const merged = applyOverlay(root, entry.value);
  if (merged?.kind !== 'map') throw new Error('unreachable: merging a mapping onto a mapping gave no mapping');
  return { root: merged, diagnostics: [] };
}

/** `all` means "every variant" on the command line, so no variant may be called that. */
export const reservedVariantNames: Rule = (ctx) =>
  variantNames(ctx.root)
    .filter((n) => RESERVED_VARIANT_NAMES.includes(n))
    .map((n) =>
      makeDiagnostic(
        locate(ctx.root, ['variants', n], 'key'),
        `variant name "${n}" is reserved (--variant ${n} runs every variant)`,
        ['variants', n],
        'Rename the variant.',
      ),
    );

/** The variant names a pipeline file defines, in file order; empty when the file cannot be read (loading it says why). */
export function listVariants(file: string): string[] {
  const read = readYamlFile(file);
  return read.ok && read.root?.kind === 'map' ? variantNames(read.root) : [];
}

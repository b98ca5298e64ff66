import { resolve } from 'node:path';
import { listVariants, loadPipeline, formatDiagnostics } from '../../engine/config/index.ts';
import { EXIT, type Io } from '../io.ts';

/** Validates the base pipeline and every variant (or just the one asked for); exits 2 on any problem. */
export function validateCommand(io: Io, file: string, args: { variant?: string; set?: string[]; json?: boolean }): number {
  const variants = args.variant === 'all' ? [null, ...listVariants(resolve(io.cwd, file))] : [args.variant ?? null];
  const results = variants.map((variant) => ({
    variant,
    result: loadPipeline(file, { variant, sets: args.set ?? [], env: io.env, registry: io.registry, cwd: io.cwd }),
  }));
  const ok = results.every((r) => r.result.ok);
  if (args.json) {
    io.out(
      JSON.stringify(
        { ok, variants: results.map((r) => ({ variant: r.variant, ok: r.result.ok, diagnostics: r.result.ok ? [] : r.result.diagnostics })) },
        null,
        2,
      ),
    );
    return ok ? EXIT.ok : EXIT.badInput;
  }
  const seen = new Set<string>();
  for (const { variant, result } of results) {
    if (result.ok) continue;
    const text = formatDiagnostics(result.diagnostics, result.sources, { cwd: io.cwd });
    if (seen.has(text)) continue;
    seen.add(text);
    if (variant !== null) io.err(`variant ${variant}:`);
    io.err(text);
  }
  if (ok) {
    const first = results[0]!.result;
    const n = first.ok ? first.pipeline.stages.length : 0;
    io.out(`${file} is valid: ${n} stages${variants.length > 1 ? `, ${variants.length - 1} variant${variants.length === 2 ? '' : 's'}` : ''}`);
  }
  return ok ? EXIT.ok : EXIT.badInput;
}

import { relative } from 'node:path';
import type { Env, StageRegistry } from '../../stage.ts';
import type { Diagnostic, ResolvedPipeline } from '../types.ts';
import type { LMap } from '../located.ts';
import { locate } from '../located.ts';
import { TracepipeError } from '../../errors.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';
import { diskFileSet, fileProblem } from '../disk-files.ts';
import { isGlob } from '../../glob.ts';

/**
 * Each stage's own `check()`, with the files it declares in `keyFiles`. Runs only
 * on an otherwise valid pipeline; an issue's path is below the stage node. A
 * stage that throws here is reported as a bug in that stage, not a crash.
 */
export function stageCheckIssues(pipeline: ResolvedPipeline, registry: StageRegistry, root: LMap, env: Env): Diagnostic[] {
  return pipeline.stages.flatMap((node) => {
    const def = registry[node.uses];
    const nodePath = ['stages', node.id];
    if (def === undefined) return [];
    try {
      const declared = def.keyFiles?.(node, pipeline) ?? [];
      const missingDiagnostics = declared.flatMap((f) => {
        const problem = isGlob(f.path) ? undefined : fileProblem(f.path);
        if (problem === undefined) return [];
        const what = problem === 'not found' ? 'which does not exist' : `which ${problem}`;
        return [
          makeDiagnostic(
            locate(root, nodePath, 'key'),
            `stage "${node.id}" reads ${f.label} "${shortPath(pipeline.dir, f.path)}", ${what}`,
            nodePath,
            `Looked for ${f.path}.`,
          ),
        ];
      });
      if (def.check === undefined) return missingDiagnostics;
      const files = diskFileSet(
        pipeline.dir,
        declared.map((f) => f.path),
      );
      const issues = def.check(node, pipeline, files, env);
      return [
        ...missingDiagnostics,
        ...issues.map((issue) => {
          const path = [...nodePath, ...(issue.path ?? [])];
          const target = issue.path === undefined || issue.path.length === 0 ? 'key' : 'value';
          return makeDiagnostic(locate(root, path, target), issue.message, path, issue.hint);
        }),
      ];
    } catch (err) {
      if (err instanceof TracepipeError && err.code === 'TP_CONFIG') {
        return [makeDiagnostic(locate(root, nodePath, 'key'), err.message, nodePath, err.hint)];
      }
      const message = err instanceof Error ? err.message : String(err);
      return [
        makeDiagnostic(
          locate(root, nodePath, 'key'),
          `stage "${node.id}" (uses ${node.uses}) failed its checks: ${message}`,
          nodePath,
          `This is a bug in the "${node.uses}" stage, unless the message says otherwise.`,
        ),
      ];
    }
  });
}

function shortPath(dir: string, abs: string): string {
  const rel = relative(dir, abs);
  return rel.startsWith('..') ? abs : rel;
}

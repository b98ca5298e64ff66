import type { StageRegistry } from '../engine/stage.ts';
import { builtinStageLoaders, type BuiltinStageName } from './loaders.ts';

type BuiltinStages = { readonly [K in BuiltinStageName]: Awaited<ReturnType<(typeof builtinStageLoaders)[K]>> };

/** Every built-in stage, loaded at once (the API server, the schema, tests); the CLI loads them one by one through `builtinStageLoaders`. */
export const builtinStages = Object.fromEntries(
  await Promise.all(Object.entries(builtinStageLoaders).map(async ([name, load]) => [name, await load()] as const)),
) as BuiltinStages satisfies StageRegistry;

export { builtinStageLoaders, type BuiltinStageName } from './loaders.ts';

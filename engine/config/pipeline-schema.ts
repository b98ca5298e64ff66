import { z } from 'zod';

/** Names that appear in paths, `--set` keys and `needs:` lists. */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NAME_RULE = 'must start with a letter or "_" and contain only letters, digits, "_" and "-"';
const name = () => z.string().regex(NAME, { error: NAME_RULE });

export const DEFAULT_CONCURRENCY = 8;

const sessionsSchema = z
  .looseObject({
    path: z.string().min(1).meta({ description: 'Glob of session folders or files, relative to the pipeline file.' }),
  })
  .meta({
    description: 'Where the sessions come from; other keys are passed to stages, and checked against the `sessionOptions` of the stages that read them.',
  });

const modelSchema = z
  .looseObject({
    provider: z.string().min(1).meta({ description: 'Provider; which ones there are is up to the stages that use the model (classify: "openai" or "rules").' }),
  })
  .meta({ description: "A model configuration; keys besides `provider` are the provider's own." });

const actionToolMapSchema = z
  .union([z.string().min(1), z.record(z.string(), z.unknown())])
  .meta({ description: 'Path of a YAML/JSON action-tool map (relative to the pipeline file), or the map inline.' });

export const stageNodeSchema = z
  .strictObject({
    uses: z.string().min(1).meta({
      description:
        "The registered stage this node runs, or a stage module of the pipeline's own: a path relative to the pipeline file (./stages/my-filter.ts).",
    }),
    needs: z
      .union([name(), z.array(name())])
      .optional()
      .meta({ description: 'Stage ids whose outputs this node reads.' }),
    with: z.record(z.string(), z.unknown()).optional().meta({ description: "Options, checked against the stage's own schema." }),
    model: z.string().min(1).optional().meta({ description: 'Name of an entry in `models`.' }),
    actionToolMap: z.string().min(1).optional().meta({ description: 'Name of an entry in `actionToolMaps`.' }),
    prompt: z.string().min(1).optional().meta({ description: 'Handlebars template, relative to the pipeline file.' }),
    thresholds: z.record(z.string(), z.number().min(0).max(1)).optional().meta({ description: 'Confidence thresholds between 0 and 1.' }),
    concurrency: z.int().min(1).optional().meta({ description: 'Cap on items this stage runs at once.' }),
  })
  .meta({ description: 'A stage node: one step of the DAG.' });

/** Top-level keys a variant may override (a variant cannot define variants). */
export const OVERRIDABLE_KEYS = ['name', 'sessions', 'suite', 'concurrency', 'output', 'cache', 'models', 'actionToolMaps', 'stages'] as const;

const variantSchema = z
  .strictObject(
    Object.fromEntries(OVERRIDABLE_KEYS.map((k) => [k, z.unknown().optional()])) as Record<(typeof OVERRIDABLE_KEYS)[number], z.ZodOptional<z.ZodUnknown>>,
  )
  .meta({ description: 'Overrides deep-merged onto the pipeline: mappings merge, lists and scalars replace, null deletes.' });

/** The pipeline file's shape: the validator, and the source of the published JSON Schema. */
export const pipelineSchema = z
  .strictObject({
    name: name().meta({ description: 'Pipeline name; also names the default output folder.' }),
    sessions: sessionsSchema,
    suite: z.string().min(1).optional().meta({ description: 'Suite file listing the actions, relative to the pipeline file.' }),
    concurrency: z.int().min(1).default(DEFAULT_CONCURRENCY).meta({ description: 'How many sessions are processed at once.' }),
    output: z.string().min(1).optional().meta({ description: 'Output folder (default out/<name>, or out/<name>-<variant>).' }),
    cache: z.string().min(1).optional().meta({ description: 'Cache folder (default .tracepipe in the working directory).' }),
    models: z.record(name(), modelSchema).optional().meta({ description: 'Named model configurations.' }),
    actionToolMaps: z.record(name(), actionToolMapSchema).optional().meta({ description: 'Named action-tool maps.' }),
    stages: z.record(name(), stageNodeSchema).meta({ description: 'Stage nodes by id; `needs` are the edges.' }),
    variants: z.record(name(), variantSchema).optional().meta({ description: 'Named sets of overrides, chosen with --variant.' }),
  })
  .meta({ title: 'tracepipe pipeline', description: 'A tracepipe pipeline: sessions in, stages as a DAG, outputs cached per session.' });

export type PipelineConfig = z.output<typeof pipelineSchema>;
export type StageNodeConfig = z.output<typeof stageNodeSchema>;

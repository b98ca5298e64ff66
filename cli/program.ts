import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { EXIT, withStages, type Io } from './io.ts';
import { tracepipeVersion } from './version.ts';

/** Extra commands the composition root adds (import, inspect, compare, review, serve). */
export type CommandPlugin = (program: Command, io: Io, setExit: (code: number) => void) => void;

const collect = (value: string, previous: string[]) => [...previous, value];
const int = (value: string) => {
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n) || n < 0) throw new CommanderError(2, 'tracepipe.badNumber', `not a whole number: ${value}`);
  return n;
};

/** True when the command line asks for JSON (`--json` before any `--`). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Runs one tracepipe command line and returns the exit code: 0 ok, 1 the run had
 * failures, 2 bad input or config, 130 interrupted.
 */
export async function runCli(argv: string[], io: Io, plugins: CommandPlugin[] = []): Promise<number> {
  let code: number = EXIT.ok;
  const setExit = (c: number) => void (code = c);
  const json = wantsJson(argv);
  const program = new Command('tracepipe')
    .description('Turn recorded GUI sessions into training data for tool-using agents.')
    .version(tracepipeVersion(), '--version', 'print the version')
    .exitOverride()
    // A usage error is printed once, by the catch below; help and usage text still go to stderr.
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => (json ? undefined : io.err(s.trimEnd())), outputError: () => {} })
    .showSuggestionAfterError(true);

  const pipelineOptions = (cmd: Command) =>
    cmd
      .option('--variant <name>', 'apply a named variant from the file')
      .option('--set <path=value>', 'override a config value, e.g. stages.classify.model=strong (repeatable)', collect, [])
      .option('--json', 'print JSON for machines');

  pipelineOptions(program.command('exec <pipeline>').description('run a pipeline over every session (--variant all runs each variant)'))
    .option('--fail-fast', 'stop at the first failed item')
    .action(async (file: string, o) => {
      const { execCommand } = await import('./commands/exec.ts');
      const result = await execCommand(await withStages(io, { pipelines: [file], sets: o.set }), file, {
        variant: o.variant,
        set: o.set,
        failFast: o.failFast,
        json: o.json,
      });
      setExit(result.code);
      if (o.variant === 'all' && result.runs.length > 1)
        await io.afterVariants?.(
          result.runs.map((r) => r.runId),
          Boolean(o.json),
          result.cacheDir!,
        );
    });
  pipelineOptions(program.command('plan <pipeline>').description('say what exec would run, and why, without running it'))
    .option('--items', 'list every item that would run with its reasons')
    .action(async (file: string, o) => {
      const { planCommand } = await import('./commands/plan.ts');
      setExit(planCommand(await withStages(io, { pipelines: [file], sets: o.set }), file, o));
    });
  pipelineOptions(program.command('validate <pipeline>').description('check a pipeline file (--variant all: every variant); exit 2 on problems')).action(
    async (file: string, o) => {
      const { validateCommand } = await import('./commands/validate.ts');
      setExit(validateCommand(await withStages(io, { pipelines: [file], sets: o.set }), file, o));
    },
  );
  pipelineOptions(program.command('diff <a> [b]').description('config and prompt-text diff between two pipelines or a git revision, and what it invalidates'))
    .option('--rev <rev>', 'compare the file with itself at a git revision')
    .action(async (a: string, b: string | undefined, o) => {
      const { diffCommand } = await import('./commands/diff.ts');
      setExit(diffCommand(await withStages(io, { pipelines: b === undefined ? [a] : [a, b], sets: o.set }), a, b, o));
    });

  const cacheOption = (cmd: Command) =>
    cmd.option('--cache <dir>', 'cache folder (default: $TRACEPIPE_CACHE or ./.tracepipe)').option('--json', 'print JSON for machines');
  cacheOption(program.command('runs').description('list recent runs'))
    .option('--limit <n>', 'how many', int, 20)
    .action(async (o) => {
      const { runsCommand } = await import('./commands/runs.ts');
      setExit(runsCommand(io, o));
    });
  cacheOption(program.command('status [run]').description('per-stage counts, failures and timings of a run (default: the latest)')).action(
    async (run: string | undefined, o) => {
      const { statusCommand } = await import('./commands/runs.ts');
      setExit(statusCommand(io, run, o));
    },
  );
  cacheOption(program.command('resume <run>').description("re-run a run's recorded config; finished items come from the cache"))
    .option('--fail-fast', 'stop at the first failed item')
    .action(async (run: string, o) => {
      const { resumeCommand } = await import('./commands/exec.ts');
      setExit(await resumeCommand(await withStages(io, { run, cache: o.cache }), run, o));
    });
  cacheOption(program.command('gc').description('drop cache entries no kept run needs'))
    .option('--dry-run', 'only say what would be dropped')
    .option('--keep-runs <n>', 'runs to keep per pipeline and variant', int, 3)
    .option('--include-memo', 'also drop memoized model replies of dropped runs')
    .action(async (o) => {
      const { gcCommand } = await import('./commands/gc.ts');
      // gc needs every stage's derived folders (load's imports), though it takes no pipeline.
      setExit(gcCommand(await withStages(io, 'all'), o));
    });
  program
    .command('schema')
    .description('write the JSON Schema of pipeline files (for editors)')
    .addOption(new Option('--out <file>', 'where to write it').default('pipeline.schema.json'))
    .option('--json', 'print JSON for machines')
    .action(async (o: { out: string; json?: boolean }) => {
      const { writePipelineSchema } = await import('../engine/config/index.ts');
      writePipelineSchema((await withStages(io, 'all')).registry, resolve(io.cwd, o.out));
      io.out(o.json ? JSON.stringify({ file: o.out }) : `wrote ${o.out}`);
    });

  for (const plugin of plugins) plugin(program, io, setExit);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    // `--help` and `--version` end parsing with exit code 0.
    if (err instanceof CommanderError && err.exitCode === 0) return EXIT.ok;
    // A bare `tracepipe` has printed its help on stderr: that is the whole message (with --json it is not printed).
    if (err instanceof CommanderError && err.code === 'commander.help' && !json) return EXIT.badInput;
    // Loaded only when needed: `--help` loads nothing but commander.
    const { reportError } = await import('./print-error.ts');
    return reportError(io, json, err);
  }
}

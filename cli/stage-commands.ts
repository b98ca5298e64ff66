import { inputError } from '../engine/errors.ts';
import { withStages, type Io } from './io.ts';
import type { CommandPlugin } from './program.ts';
import { cacheFileIn } from '../engine/cache/location.ts';

/** Commands that know about sessions and datasets (import, inspect, compare, review) and the status server. */
export function commandPlugins(): {
  commands: CommandPlugin[];
  afterVariants: (io: Io) => ((runIds: string[], json: boolean, cacheDir: string) => void) | undefined;
} {
  const sessions: CommandPlugin = (program, io, setExit) => {
    program
      .command('import <path>')
      .description('convert recordings (Playwright trace, HAR, rrweb, Chrome Recorder, Clones, OpenCUA, extension) to native sessions')
      .requiredOption('--out <dir>', 'folder to write native sessions into')
      .option('--format <name>', 'force a format instead of detecting it')
      .option('--suite <id>', 'suite id to record in session.json')
      .option('--json', 'print JSON for machines')
      .action(async (path: string, o) => {
        const { importCommand } = await import('./commands/sessions.ts');
        setExit(await importCommand(io, path, o));
      });
    program
      .command('inspect <session>')
      .description('print the normalized timeline of one session (any supported format)')
      .option('--format <name>', 'force a format instead of detecting it')
      .option('--json', 'print the full step objects')
      .option('--keyframes <dir>', "write each step's keyframe image to DIR/<step id>.<ext>")
      .action(async (path: string, o) => {
        const { inspectCommand } = await import('./commands/sessions.ts');
        setExit(await inspectCommand(io, path, o));
      });
  };
  const review: CommandPlugin = (program, io, setExit) => {
    program
      .command('review <action> [example] [span]')
      .description('the low-confidence queue: list | show EXAMPLE | accept|reject EXAMPLE [SPAN] | fix EXAMPLE SPAN --action A --params JSON')
      .option('--run <id>', 'the run whose examples to review (default: the latest)')
      .option('--action <name>', 'fix: the corrected action')
      .option('--params <json>', 'fix: the corrected parameters as JSON')
      .option('--note <text>', 'a note stored with the decision')
      .option('--reviewer <name>', 'who decided')
      .option('--cache <dir>', 'cache folder (default: $TRACEPIPE_CACHE or ./.tracepipe)')
      .option('--json', 'print JSON for machines')
      .action(async (action: string, example: string | undefined, span: string | undefined, o) => {
        if (!['list', 'show', 'accept', 'fix', 'reject'].includes(action))
          throw inputError(`unknown review action "${action}": use list, show, accept, fix or reject`);
        const { reviewCommand } = await import('./commands/review.ts');
        setExit(reviewCommand(io, action, example, span, o));
      });
    program
      .command('compare <runA> <runB>')
      .description('score two runs against the labels and show where they disagree')
      .option('--cache <dir>', 'cache folder (default: $TRACEPIPE_CACHE or ./.tracepipe)')
      .option('--json', 'print JSON for machines')
      .action(async (a: string, b: string, o) => {
        const { compareCommand } = await import('./commands/compare.ts');
        setExit(compareCommand(io, a, b, o));
      });
  };
  const report: CommandPlugin = (program, io, setExit) => {
    program
      .command('report <run>')
      .description('write one self-contained HTML file with a run\'s summary, examples, keyframes and failures (run "latest" for the newest)')
      .requiredOption('--out <file>', 'the HTML file to write')
      .option('--cache <dir>', 'cache folder (default: $TRACEPIPE_CACHE or ./.tracepipe)')
      .option('--json', 'print JSON for machines')
      .action(async (run: string, o) => {
        const { reportCommand } = await import('./commands/report.ts');
        setExit(reportCommand(io, run, o));
      });
  };
  const serve: CommandPlugin = (program, io, setExit) => {
    program
      .command('serve')
      .description('the status API over the cache file (127.0.0.1 by default; any other host needs TRACEPIPE_TOKEN)')
      .option('--port <n>', 'port to listen on (0: any free port)', '7411')
      .option('--host <address>', 'address to bind', '127.0.0.1')
      .option('--cache <dir>', 'cache folder (default: $TRACEPIPE_CACHE or ./.tracepipe)')
      .option('--json', 'print start-up errors as JSON')
      .action(async (o: { port: string; host: string; cache?: string }) => {
        const { serveCommand } = await import('./commands/serve.ts');
        setExit(await serveCommand(await withStages(io, 'all'), o));
      });
  };
  return {
    commands: [sessions, review, report, serve],
    afterVariants: (io) => async (runIds, json, cacheDir) => {
      const [{ SqliteStore }, { printComparison }, { findRun }] = await Promise.all([
        import('../engine/cache/sqlite.ts'),
        import('./commands/compare.ts'),
        import('./run-ref.ts'),
      ]);
      const store = new SqliteStore(cacheFileIn(cacheDir));
      try {
        const runs = runIds.map((id) => findRun(store, store.file, id));
        for (const other of runs.slice(1)) printComparison(io, store, runs[0]!, other, json);
      } finally {
        store.close();
      }
    },
  };
}

/**
 * Start-up time of the CLI, timed around the whole child process (spawn to exit),
 * median of several runs: `tracepipe --help`, and a no-op `exec` of the mail
 * pipeline (run once to fill the cache, then timed: every cacheable stage is a
 * hit). Each is timed for the compiled CLI (bin/tracepipe.js, dist/) and, for
 * comparison on the same machine and load, for the sources through tsx
 * (bin/tracepipe-dev.js: how the CLI always ran before, then also importing every
 * command and stage up front). `--compare <bin/tracepipe.js of another checkout>` times
 * that build too, in the same runs (before/after a change, on the same machine and load).
 * Builds dist/ first.
 *
 *   npm run bench:startup [-- --runs 7] [-- --compare ../before/bin/tracepipe.js]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt === -1 ? 7 : Number(args[runsAt + 1]);
const compareAt = args.indexOf('--compare');
const COMPARE = compareAt === -1 ? undefined : resolve(args[compareAt + 1]!);
const root = fileURLToPath(new URL('../..', import.meta.url));
const TARGETS: Record<string, number> = { '--help': 100, 'exec (no-op)': 300 };

/** The child reports its own CPU time and peak memory as it exits; the wall time is taken out here. */
const USAGE_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const c = process.cpuUsage(); writeFileSync(process.env.TP_USAGE_FILE, JSON.stringify({ cpuMs: (c.user + c.system) / 1000, rssMiB: process.resourceUsage().maxRSS / 1024 })); });",
)}`;

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

function once(entry: string, argv: string[], cwd: string, usageFile: string): Sample {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', USAGE_HOOK, entry, ...argv], {
    cwd,
    env: { ...process.env, CI: '1', TP_USAGE_FILE: usageFile },
    encoding: 'utf8',
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${entry} ${argv.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuMs: number; rssMiB: number };
  return { wallMs, ...usage };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function measure(entry: string, argv: string[], cwd: string, usageFile: string): Sample & { minWallMs: number } {
  const samples = Array.from({ length: RUNS }, () => once(entry, argv, cwd, usageFile));
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    minWallMs: Math.min(...samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    rssMiB: median(samples.map((s) => s.rssMiB)),
  };
}

execFileSync(process.execPath, [join(root, 'bin/build.js')], { cwd: root, stdio: 'inherit' });
const scratch = mkdtempSync(join(tmpdir(), 'tp-bench-startup-'));
const usageFile = join(scratch, 'usage.json');
const gmail = ['exec', join(root, 'pipelines/gmail.yaml')];
const load0 = loadavg()[0]!;
try {
  // Fills the cache in the scratch folder: what follows is the rerun a person does after changing nothing.
  once(join(root, 'bin/tracepipe.js'), gmail, scratch, usageFile);
  const rows: string[][] = [];
  for (const [label, argv] of [
    ['--help', ['--help']],
    ['exec (no-op)', gmail],
  ] as const) {
    const built = measure(join(root, 'bin/tracepipe.js'), [...argv], scratch, usageFile);
    const source = measure(join(root, 'bin/tracepipe-dev.js'), [...argv], scratch, usageFile);
    const target = TARGETS[label]!;
    rows.push([
      label,
      'dist',
      ms(built.wallMs),
      ms(built.minWallMs),
      ms(built.cpuMs),
      `${built.rssMiB.toFixed(0)} MiB`,
      `< ${target} ms: ${built.wallMs < target ? 'met' : 'NOT met'}`,
    ]);
    rows.push([
      '',
      'tsx (sources)',
      ms(source.wallMs),
      ms(source.minWallMs),
      ms(source.cpuMs),
      `${source.rssMiB.toFixed(0)} MiB`,
      `${(source.wallMs / built.wallMs).toFixed(1)}x slower`,
    ]);
    if (COMPARE !== undefined) {
      const other = measure(COMPARE, [...argv], scratch, usageFile);
      rows.push([
        '',
        `--compare`,
        ms(other.wallMs),
        ms(other.minWallMs),
        ms(other.cpuMs),
        `${other.rssMiB.toFixed(0)} MiB`,
        `${(other.wallMs / built.wallMs).toFixed(1)}x this build's time`,
      ]);
    }
  }
  console.log(`\nwhole-process start-up, median of ${RUNS} runs (node ${process.version}, load average ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)})\n`);
  console.log(table(['command', 'CLI', 'wall', 'fastest', 'cpu', 'peak rss', ''], rows));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function ms(n: number): string {
  return `${Math.round(n)} ms`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

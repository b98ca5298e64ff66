import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Something built once per `vitest run` into `<root>/<name>` by whichever test process asks
 * first (a lock folder beside it), waited for by the others: build fills a fresh folder,
 * renamed into place only when complete.
 */
const WAIT_MS = 120_000;

type Step = { done: string } | { build: string; release: () => void } | { wait: true };

function step(root: string, name: string, t0: number): Step {
  const done = join(root, name);
  if (existsSync(done)) return { done };
  const lock = join(root, `${name}.lock`);
  try {
    mkdirSync(lock);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (Date.now() - t0 > WAIT_MS) throw new Error(`waited ${WAIT_MS} ms for another test process to build ${done} (${lock})`, { cause: err });
    return { wait: true };
  }
  if (existsSync(done)) {
    rmSync(lock, { recursive: true, force: true });
    return { done };
  }
  const building = join(root, `${name}.building-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building);
  return { build: building, release: () => rmSync(lock, { recursive: true, force: true }) };
}

export async function oncePerRun(root: string, name: string, build: (dir: string) => Promise<void>): Promise<string> {
  for (const t0 = Date.now(); ;) {
    const s = step(root, name, t0);
    if ('done' in s) return s.done;
    if ('wait' in s) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    try {
      await build(s.build);
      renameSync(s.build, join(root, name));
    } finally {
      s.release();
    }
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function oncePerRunSync(root: string, name: string, build: (dir: string) => void): string {
  for (const t0 = Date.now(); ;) {
    const s = step(root, name, t0);
    if ('done' in s) return s.done;
    if ('wait' in s) {
      Atomics.wait(sleeper, 0, 0, 50);
      continue;
    }
    try {
      build(s.build);
      renameSync(s.build, join(root, name));
    } finally {
      s.release();
    }
  }
}

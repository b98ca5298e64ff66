import type { RunRecord } from '../cache/types.ts';

/**
 * True for a run recorded as `running` whose process is gone (killed with -9, or the
 * machine went down): it will never finish on its own; resume it. Checks the pid on
 * this machine, so a run in another container or host looks stale.
 */
export function isRunStale(run: Pick<RunRecord, 'status' | 'pid'>): boolean {
  return run.status === 'running' && !processAlive(run.pid);
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

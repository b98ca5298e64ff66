import { accessSync, constants } from 'node:fs';
import { describe, it } from 'vitest';
import { findFfmpeg } from '../../stages/normalize/ffmpeg.ts';
import { chromiumPath } from '../../fixtures/recorder/chromium.ts';

/** Programs some suites need that npm does not install: Debian's Chromium, and ffmpeg (PATH or @ffmpeg-installer). */
export type SystemTool = 'chromium' | 'ffmpeg';

export type ToolCheck = { available: true; path: string } | { available: false; reason: string };

export function findTool(tool: SystemTool): ToolCheck {
  if (tool === 'chromium') {
    const path = chromiumPath();
    try {
      accessSync(path, constants.X_OK);
      return { available: true, path };
    } catch (err) {
      return {
        available: false,
        reason: `no Chromium at ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}); install Debian's chromium or set CHROMIUM_PATH`,
      };
    }
  }
  try {
    return { available: true, path: findFfmpeg(process.env) };
  } catch (err) {
    return { available: false, reason: `no ffmpeg (${(err as Error).message})` };
  }
}

/** CI installs every system tool (.ci/run), so there a missing one is a failure, not a skip. */
export function isCi(): boolean {
  return ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
}

/**
 * `describe` for a suite that needs a system tool. Where the tool is missing, the suite
 * is skipped and the reason is printed in vitest's output; under CI=true it fails instead
 * with the same reason, so CI never passes by skipping.
 */
export function describeWithTool(tool: SystemTool, name: string, body: () => void): void {
  const check = findTool(tool);
  if (check.available) {
    describe(name, body);
    return;
  }
  if (isCi()) {
    describe(name, () => {
      it(`needs ${tool}`, () => {
        throw new Error(`${tool} is required under CI=true, but there is ${check.reason}`);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${name}": it needs ${tool}, and there is ${check.reason}. (Under CI=true this suite fails instead.)`);
  describe.skip(`${name} [skipped: needs ${tool}]`, body);
}

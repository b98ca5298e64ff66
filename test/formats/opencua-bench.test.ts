import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, formats } from '../../domain/formats/index.ts';
import { parsePythonCall } from '../../domain/formats/python-call.ts';
import { readWritten, repoRoot, tempDir } from './session-files.ts';

// 2 MB of screenshots: read from the shared samples beside the repo rather than copied in.
const sample = path.resolve(repoRoot, '../shared/data/real/opencua-agentnetbench');
const file = path.join(sample, 's_df0fd37049f470c2.json');

describe('OpenCUA AgentNetBench importer (bonus)', () => {
  it.skipIf(!existsSync(file))('yields the clicks, the typing and the scroll of the Goodreads episode', async () => {
    expect(await detectFormat(file)).toBe('opencuaBench');
    expect(await detectFormat(sample)).toBe('opencuaBench');
    const out = tempDir();
    expect(await formats.opencuaBench.convert(sample, out, {})).toEqual(['s_df0fd37049f470c2']);
    const s = readWritten(out, 's_df0fd37049f470c2');
    const clicks = s.events.filter((e) => e.type === 'click');
    expect(clicks.map((c) => c.t)).toEqual([2000, 4000, 7000, 9000]);
    expect(clicks[0]).toMatchObject({ t: 2000, x: 0.3271 * 1280, y: 0.2694 * 720, target: { bbox: { x: 332.76, y: 185.51, width: 320.69, height: 19.97 } } });
    const typed = s.events
      .filter((e) => e.type === 'keydown')
      .map((e) => (e.type === 'keydown' ? e.key : ''))
      .join('');
    expect(typed).toBe('george orwell');
    expect(s.events.find((e) => e.type === 'wheel')).toMatchObject({ dy: 3 });
    expect(s.screenshots).toHaveLength(7);
    expect(s.meta).toMatchObject({
      viewport: { width: 1280, height: 720 },
      description: "Look up George Orwell's works on Goodreads and check the status of 'Homage to Catalonia'.",
    });
  });

  it('parses pyautogui calls', () => {
    expect(parsePythonCall("pyautogui.write(message='it\\'s, ok')")).toEqual({ module: 'pyautogui', fn: 'write', args: [], kwargs: { message: "it's, ok" } });
    expect(parsePythonCall("pyautogui.hotkey('ctrl', 'c')")?.args).toEqual(['ctrl', 'c']);
    expect(parsePythonCall("pyautogui.press(['enter', 'tab'])")?.args).toEqual([['enter', 'tab']]);
    expect(parsePythonCall('pyautogui.scroll(-3)')?.args).toEqual([-3]);
    expect(parsePythonCall('not a call')).toBeUndefined();
  });
});

// Run only by browser-rule.test.ts, in a child vitest with CHROMIUM_PATH and CI set by the test.
import { expect, it } from 'vitest';
import { describeWithTool } from '../../helpers/system-tools.ts';

describeWithTool('chromium', 'a browser suite', () => {
  it('runs when the browser is there', () => {
    expect(process.env.CHROMIUM_PATH).toBe('/bin/true');
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatSteps, formatTokens, formatUsd } from '../../web/pages/assets/format.js';

// One rule per unit (web/pages/assets/format.js), shared by the CLI, the report and the pages.
describe('format rules', () => {
  it('durations: ms below a second, tenths of seconds below a minute, then min s, then h min; each rounded where shown', () => {
    const cases: [number | null | undefined, string][] = [
      [0, '0 ms'],
      [999.4, '999 ms'],
      [999.6, '1.0 s'],
      [12_345, '12.3 s'],
      [59_949, '59.9 s'],
      [59_950, '1 min 0 s'],
      [65_000, '1 min 5 s'],
      [3_599_499, '59 min 59 s'],
      [3_599_500, '1 h 0 min'],
      [3_900_000, '1 h 5 min'],
      [90_061_000, '25 h 1 min'],
      [-5, '0 ms'],
      [Number.NaN, '-'],
      [null, '-'],
      [undefined, '-'],
    ];
    expect(cases.map(([ms]) => formatDuration(ms))).toEqual(cases.map(([, text]) => text));
  });

  it('costs: $0 for nothing, four decimals below a cent, two from a cent up, <$0.0001 for less', () => {
    const cases: [number | null, string][] = [
      [0, '$0'],
      [0.00004, '<$0.0001'],
      [0.00005, '$0.0001'],
      [0.0042, '$0.0042'],
      [0.009949, '$0.0099'],
      [0.00995, '$0.01'],
      [0.5349, '$0.53'],
      [1234.5, '$1,234.50'],
      [null, '-'],
    ];
    expect(cases.map(([usd]) => formatUsd(usd))).toEqual(cases.map(([, text]) => text));
  });

  it('tokens: whole, in groups of three whatever the locale', () => {
    expect([0, 999, 1000, 1_234_567.6, null].map(formatTokens)).toEqual(['0', '999', '1,000', '1,234,568', '-']);
  });

  it('bytes: binary units with one decimal, never "1024.0" of a unit', () => {
    expect([0, 1023, 1024, 1536, 1_048_524, 1_048_575, 10.4 * 2 ** 20, 5 * 2 ** 40, undefined].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '1023.9 KiB',
      '1.0 MiB',
      '10.4 MiB',
      '5.0 TiB',
      '-',
    ]);
  });

  it('step ranges', () => {
    expect([formatSteps(3, 3), formatSteps(3, 5)]).toEqual(['step 3', 'steps 3–5']);
  });
});

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { NormalizeOptions, regionDiff, signature } from '../../stages/normalize/index.ts';

const THRESHOLD = NormalizeOptions.parse({}).screenshots.distinctThreshold;

/** A grey 1920x1080 desktop with a few dark "icons", optionally with boxes drawn over it. */
async function desktop(boxes: { left: number; top: number; width: number; height: number; shade: number }[] = []): Promise<Buffer> {
  const icons = [100, 300, 500].map((top) => ({ left: 40, top, width: 64, height: 64, shade: 60 }));
  const layers = await Promise.all(
    [...icons, ...boxes].map(async (b) => ({
      input: await sharp({ create: { width: b.width, height: b.height, channels: 3, background: { r: b.shade, g: b.shade, b: b.shade } } })
        .png()
        .toBuffer(),
      left: b.left,
      top: b.top,
    })),
  );
  return sharp({ create: { width: 1920, height: 1080, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite(layers)
    .png()
    .toBuffer();
}

/** What one global mean over the whole frame would see (the old 32x32 thumbnail test). */
function globalMean(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / (a.length * 255);
}

describe('regionDiff', () => {
  it('sees a context menu and a tooltip-sized popup over a grey wallpaper that one global mean averages away', async () => {
    const base = await signature(await desktop());
    const menu = await signature(await desktop([{ left: 700, top: 400, width: 180, height: 220, shade: 245 }]));
    const tooltip = await signature(await desktop([{ left: 900, top: 600, width: 80, height: 24, shade: 250 }]));
    const panel = await signature(await desktop([{ left: 1520, top: 0, width: 400, height: 1080, shade: 240 }]));
    expect(regionDiff(base, menu)).toBeGreaterThan(0.4);
    expect(regionDiff(base, tooltip)).toBeGreaterThan(3 * THRESHOLD);
    expect(regionDiff(base, panel)).toBeGreaterThan(0.4);
    // The global mean of the same signatures is far below any usable threshold for the menu and tooltip.
    expect(globalMean(base, menu)).toBeLessThan(0.01);
    expect(globalMean(base, tooltip)).toBeLessThan(0.001);
  });

  it('does not see JPEG compression of the same screen', async () => {
    const png = await desktop([{ left: 700, top: 400, width: 180, height: 220, shade: 245 }]);
    const jpeg = await sharp(png).jpeg({ quality: 40 }).toBuffer();
    expect(regionDiff(await signature(png), await signature(jpeg))).toBeLessThan(THRESHOLD / 4);
  });

  it('is 0 for the same frame, 1 for black vs white, and 1 for signatures of different sizes', async () => {
    const black = await signature(
      await sharp({ create: { width: 64, height: 40, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
    );
    const white = await signature(
      await sharp({ create: { width: 64, height: 40, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
    );
    expect(regionDiff(black, black)).toBe(0);
    expect(regionDiff(black, white)).toBe(1);
    expect(regionDiff(black, black.subarray(1))).toBe(1);
  });
});

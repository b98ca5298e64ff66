import { loadSharp } from './load-sharp.ts';

/**
 * Size of the grayscale signature frames are compared on. Every frame is squeezed to this
 * size whatever its aspect, so a screenshot and a video frame of one screen compare directly.
 * 256 px across keeps a tooltip on a 1920 px screen about 10 px wide.
 */
export const SIGNATURE_WIDTH = 256;
export const SIGNATURE_HEIGHT = 160;
/** Side of one comparison tile in signature pixels (8 px = about 1/32 of the screen's width). */
const TILE = 8;
/** Tiles overlap by half, so a small change never falls on a tile border and is diluted by four. */
const STRIDE = TILE / 2;

/** A frame reduced for change detection: SIGNATURE_WIDTH x SIGNATURE_HEIGHT grey levels. */
export type Signature = Uint8Array;

/** The signature of an image file, encoded image bytes, or raw pixels. */
export async function signature(input: string | Buffer, raw?: { width: number; height: number; channels: 1 | 2 | 3 | 4 }): Promise<Signature> {
  const sharp = await loadSharp();
  const img = raw === undefined ? sharp(input) : sharp(input, { raw });
  // Area averaging (not a sharpening kernel): it smooths compression noise the way a person's eye does.
  const buf = await img.removeAlpha().grayscale().resize(SIGNATURE_WIDTH, SIGNATURE_HEIGHT, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * How different two frames are where they differ most: the largest change of mean grey level
 * over overlapping TILE x TILE tiles, 0 (same) .. 1 (black became white). A context menu, a
 * tooltip or a panel shifts a few tiles' brightness a lot, which one global mean would average
 * away. Tile means (not means of per-pixel differences) because video compression blurs text
 * edges, which moves single pixels a lot but a tile's mean hardly at all; measured on the
 * keyframe truth set: video vs screenshot of one screen <= 0.019, one typed word >= 0.033.
 */
export function regionDiff(a: Signature, b: Signature): number {
  if (a.length !== b.length || a.length !== SIGNATURE_WIDTH * SIGNATURE_HEIGHT) return 1;
  const w = SIGNATURE_WIDTH;
  // Integral image of (a - b) with one row and column of zeros in front.
  const sums = new Float64Array((w + 1) * (SIGNATURE_HEIGHT + 1));
  for (let y = 0; y < SIGNATURE_HEIGHT; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      row += a[i]! - b[i]!;
      sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1]! + row;
    }
  }
  let worst = 0;
  for (let y = 0; y + TILE <= SIGNATURE_HEIGHT; y += STRIDE) {
    for (let x = 0; x + TILE <= w; x += STRIDE) {
      const s = sums[(y + TILE) * (w + 1) + x + TILE]! - sums[y * (w + 1) + x + TILE]! - sums[(y + TILE) * (w + 1) + x]! + sums[y * (w + 1) + x]!;
      if (Math.abs(s) > worst) worst = Math.abs(s);
    }
  }
  return worst / (TILE * TILE * 255);
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

import sharp from 'sharp';

/** Side of the grayscale thumbnail frames are compared on. */
export const THUMB_SIDE = 32;

/** A tiny grayscale version of an image (a file, or raw pixels), for cheap "did the screen change?" checks. */
export async function thumbnail(
  input: string | Buffer,
  raw?: { width: number; height: number; channels: 1 | 2 | 3 | 4 },
): Promise<Uint8Array> {
  const img = raw === undefined ? sharp(input) : sharp(input, { raw });
  // Gray first: the resize then works on one channel instead of three.
  const buf = await img.grayscale().resize(THUMB_SIDE, THUMB_SIDE, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Mean absolute difference of two thumbnails, 0 (same) .. 1 (black vs white). */
export function thumbDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return 1;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / (a.length * 255);
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

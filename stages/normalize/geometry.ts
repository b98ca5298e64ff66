export interface Point {
  x: number;
  y: number;
}

export const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Resamples a path to at most `max` points spaced evenly along its length; keeps both ends. */
export function resamplePath(points: Point[], max: number): Point[] {
  if (points.length <= max) return points.map((p) => ({ x: round1(p.x), y: round1(p.y) }));
  const cum = [0];
  for (let i = 1; i < points.length; i++) cum.push(cum[i - 1]! + distance(points[i - 1]!, points[i]!));
  const total = cum[cum.length - 1]!;
  if (total === 0) return [points[0]!, points[points.length - 1]!].map((p) => ({ x: round1(p.x), y: round1(p.y) }));
  const out: Point[] = [];
  let j = 0;
  for (let k = 0; k < max; k++) {
    const target = (total * k) / (max - 1);
    while (j < points.length - 2 && cum[j + 1]! < target) j++;
    const a = points[j]!;
    const b = points[j + 1]!;
    const span = cum[j + 1]! - cum[j]!;
    const f = span === 0 ? 0 : Math.min(1, Math.max(0, (target - cum[j]!) / span));
    out.push({ x: round1(a.x + (b.x - a.x) * f), y: round1(a.y + (b.y - a.y) * f) });
  }
  return out;
}

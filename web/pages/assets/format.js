// How tracepipe writes durations, costs, token counts and sizes: one rule per unit for
// the CLI, the report and the pages (this file is served to the browser as it is and
// imported by the TypeScript side, so it uses nothing but the language).

const MISSING = '-';

/** @param {number | null | undefined} n */
const known = (n) => typeof n === 'number' && Number.isFinite(n);

/**
 * Digits of a whole number in groups of three: 1234567 -> "1,234,567" (the same in every locale).
 * @param {number} n
 */
function grouped(n) {
  const digits = String(Math.abs(Math.round(n)));
  return (n < 0 ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A duration in milliseconds: "450 ms", "12.3 s", "4 min 5 s", "1 h 5 min" (each unit
 * rounded where it is shown, so 59.96 s reads "1 min 0 s", never "60.0 s"); "-" when unknown.
 * @param {number | null | undefined} ms
 * @returns {string}
 */
export function formatDuration(ms) {
  if (!known(ms)) return MISSING;
  const t = Math.max(0, /** @type {number} */ (ms));
  if (Math.round(t) < 1000) return `${Math.round(t)} ms`;
  const tenths = Math.round(t / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(t / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(t / 60_000);
  return `${grouped(Math.floor(minutes / 60))} h ${minutes % 60} min`;
}

/**
 * A cost in US dollars: "$0" when nothing was spent, four decimals below a cent ("$0.0042",
 * model calls are often fractions of one), two from a cent up ("$0.53", "$1,234.50"), and
 * "<$0.0001" for a cost too small to show; "-" when unknown.
 * @param {number | null | undefined} usd
 * @returns {string}
 */
export function formatUsd(usd) {
  if (!known(usd)) return MISSING;
  const v = /** @type {number} */ (usd);
  if (v === 0) return '$0';
  const tenThousandths = Math.round(Math.abs(v) * 10_000);
  const sign = v < 0 ? '-' : '';
  if (tenThousandths === 0) return `${sign}<$0.0001`;
  if (tenThousandths < 100) return `${sign}$0.${String(tenThousandths).padStart(4, '0')}`;
  const cents = Math.round(Math.abs(v) * 100);
  return `${sign}$${grouped(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A token count, whole and grouped: "12,345"; "-" when unknown.
 * @param {number | null | undefined} n
 * @returns {string}
 */
export function formatTokens(n) {
  return known(n) ? grouped(/** @type {number} */ (n)) : MISSING;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * A size in bytes, in binary units with one decimal: "512 B", "1.5 KiB", "10.4 MiB"; "-" when unknown.
 * @param {number | null | undefined} bytes
 * @returns {string}
 */
export function formatBytes(bytes) {
  if (!known(bytes)) return MISSING;
  let v = Math.max(0, Math.round(/** @type {number} */ (bytes)));
  if (v < 1024) return `${v} B`;
  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && v >= 1024) {
    v /= 1024;
    unit++;
  }
  // 1023.96 KiB would read "1024.0 KiB": that is the next unit.
  if (unit < BYTE_UNITS.length - 1 && v.toFixed(1) === '1024.0') {
    v /= 1024;
    unit++;
  }
  return `${v.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/**
 * Timeline steps by their ids: "step 3", "steps 3–5".
 * @param {number} first
 * @param {number} last
 */
export function formatSteps(first, last) {
  return first === last ? `step ${first}` : `steps ${first}–${last}`;
}

import { artifactImage, h } from './dom.js';
import { formatDuration, formatSteps } from './format.js';

/** @typedef {import('./api.js').KeyframeView} KeyframeView */
/** @typedef {{ url: string; t: number; firstStep: number; lastStep: number }} Frame */

/** @type {HTMLDialogElement | null} */
let dialog = null;
/**
 * Shows an image full size in a modal dialog (Escape or a click closes it).
 * @param {HTMLImageElement} img
 */
function zoom(img) {
  if (dialog === null) {
    dialog = h(
      'dialog',
      { class: 'zoom', 'aria-label': 'Screenshot' },
      h('img', { alt: '' }),
      h('form', { method: 'dialog' }, h('button', { type: 'submit', text: 'Close' })),
    );
    const d = dialog;
    d.addEventListener('click', (e) => {
      if (e.target === d || e.target instanceof HTMLImageElement) d.close();
    });
    document.body.append(d);
  }
  const big = /** @type {HTMLImageElement} */ (dialog.querySelector('img'));
  big.src = img.src;
  big.alt = img.alt;
  dialog.showModal();
}

/**
 * Keyframes as the API lists them (one per step) folded into frames: consecutive steps showing one image are one frame.
 * @param {KeyframeView[]} keyframes
 * @returns {Frame[]}
 */
export function foldKeyframes(keyframes) {
  /** @type {Frame[]} */
  const frames = [];
  for (const k of [...keyframes].sort((a, b) => a.step - b.step)) {
    const last = frames[frames.length - 1];
    if (last && last.url === k.url) last.lastStep = k.step;
    else frames.push({ url: k.url, t: k.t, firstStep: k.step, lastStep: k.step });
  }
  return frames;
}

/** @param {Frame} f */
export function frameCaption(f) {
  return `${formatSteps(f.firstStep, f.lastStep)} · ${formatDuration(f.t)}`;
}

/**
 * A strip of frames; `hit(frame)` marks the ones that belong to what is being looked at.
 * @param {Frame[]} frames
 * @param {string} who names the session in each image's alt text
 * @param {(frame: Frame) => boolean} [hit]
 */
export function frameStrip(frames, who, hit = () => false) {
  return h(
    'div',
    { class: 'frames' },
    frames.map((f) => {
      const img = artifactImage(f.url, `${who}, ${frameCaption(f)}`);
      return h(
        'figure',
        { class: hit(f) ? 'hit' : undefined, 'data-first': f.firstStep, 'data-last': f.lastStep },
        h('button', { type: 'button', class: 'shot', title: 'Enlarge', onclick: () => zoom(img) }, img),
        h('figcaption', { text: frameCaption(f) }),
      );
    }),
  );
}

/**
 * True when the frame shows any step in first..last.
 * @param {Frame} f
 * @param {number} first
 * @param {number} last
 */
export function overlaps(f, first, last) {
  return f.firstStep <= last && f.lastStep >= first;
}

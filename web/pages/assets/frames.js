import { artifactImage, h } from './dom.js';

let dialog = null;
/** Shows an image full size in a modal dialog (Escape or a click closes it). */
function zoom(img) {
  if (dialog === null) {
    dialog = h('dialog', { class: 'zoom', 'aria-label': 'Screenshot' }, h('img', { alt: '' }), h('form', { method: 'dialog' }, h('button', { type: 'submit', text: 'Close' })));
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog || e.target.tagName === 'IMG') dialog.close();
    });
    document.body.append(dialog);
  }
  const big = dialog.querySelector('img');
  big.src = img.src;
  big.alt = img.alt;
  dialog.showModal();
}

/** Keyframes as the API lists them (one per step) folded into frames: consecutive steps showing one image are one frame. */
export function foldKeyframes(keyframes) {
  const frames = [];
  for (const k of [...(keyframes ?? [])].sort((a, b) => a.step - b.step)) {
    const last = frames[frames.length - 1];
    if (last && last.url === k.url) last.lastStep = k.step;
    else frames.push({ url: k.url, t: k.t, firstStep: k.step, lastStep: k.step });
  }
  return frames;
}

export function frameCaption(f) {
  return `${f.firstStep === f.lastStep ? `step ${f.firstStep}` : `steps ${f.firstStep}–${f.lastStep}`} · ${(f.t / 1000).toFixed(1)} s`;
}

/** A strip of frames; `hit(frame)` marks the ones that belong to what is being looked at. */
export function frameStrip(frames, who, hit = () => false) {
  return h(
    'div',
    { class: 'frames' },
    frames.map((f) =>
      h(
        'figure',
        { class: hit(f) ? 'hit' : undefined, 'data-first': f.firstStep, 'data-last': f.lastStep },
        h('button', { type: 'button', class: 'shot', title: 'Enlarge', onclick: (e) => zoom(e.currentTarget.querySelector('img')) }, artifactImage(f.url, `${who}, ${frameCaption(f)}`)),
        h('figcaption', { text: frameCaption(f) }),
      ),
    ),
  );
}

/** True when the frame shows any step in first..last. */
export function overlaps(f, first, last) {
  return f.firstStep <= last && f.lastStep >= first;
}

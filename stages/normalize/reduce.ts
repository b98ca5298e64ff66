/**
 * The reduction rules (DESIGN §3), as implemented here:
 * - exact duplicates (every field but the id equal) and recorder near-duplicates (duplicates.ts)
 *   are dropped;
 * - press + release within clickDistancePx and clickMaxMs is a click on the PRESSED element
 *   (right button: right_click; middle/back/forward: a click with that `button`), otherwise a
 *   drag whose path is resampled to dragPathPoints; a second left click at the same spot starting
 *   within doubleClickMs of the first one's release turns it into a double_click; a recorder's own
 *   `click` event right after the release folds into that step; every pointer step has `button`;
 * - a touch press is a tap (pointer: 'touch'); the browser's compatibility mouse press and click
 *   at the same spot within TOUCH_COMPAT_MS fold into it;
 * - a `check` right after a click or a Space press (within clickMaxMs) turns that step into a
 *   check step; a radio losing its check is no step; Space on a checkbox, radio or button is a
 *   key step, never typed text;
 * - scripted value changes: an `input` counts only on the field the person last pressed or
 *   typed in; a `select`/`check` only within typingPauseMs of the person's last pointer or key
 *   event (a widget such as select2 sets the real field for them);
 * - consecutive wheel events (nothing else between, gaps <= scrollPauseMs) are one scroll, summed;
 * - printable keys (Shift allowed) build a type step; Backspace deletes the last character; the
 *   run ends on a pause > typingPauseMs, a pointer event, a special key, a hotkey or another field;
 *   `input` events set the text of the field's run to the whole value (the last value wins);
 * - Enter types a newline in a textarea, submits in a form field, else it is a key step;
 * - Control/Alt/Meta + key is a hotkey (['Control', 'c']); other special keys (Tab, Escape,
 *   arrows, Delete...) are one-key hotkey steps; lone modifiers and stop hotkeys are dropped;
 *   modifiers held during a click are kept on the click as `keys`;
 * - select, navigate (same URL twice in a row collapses) and submit (folded into an Enter
 *   submit just before it) are steps of their own.
 */
import type { MouseButton, Target } from '../../domain/session/model.ts';
import type { SessionEvent } from '../../domain/session/read.ts';
import type { Step } from '../../domain/session/timeline.ts';
import { DuplicateFilter } from './duplicates.ts';
import { distance, resamplePath, type Point } from './geometry.ts';
import { hotkeyKey, hotkeySignature, isInert, isPrintable, modifierOf, orderedModifiers, parseHotkey } from '../../domain/session/keys.ts';
import type { NormalizeOptions } from './options.ts';

/** How soon after Enter a pointer-less click counts as the browser's own default-button activation. */
const SYNTHETIC_CLICK_MS = 100;
/** How long after a tap the browser may still send its compatibility mouse events (300 ms click delay + margin). */
const TOUCH_COMPAT_MS = 500;

/** A step before numbering and network/keyframe attachment. */
export type DraftStep = Omit<Step, 'id'>;

export type ReduceOptions = Pick<
  NormalizeOptions,
  'clickDistancePx' | 'clickMaxMs' | 'doubleClickMs' | 'typingPauseMs' | 'scrollPauseMs' | 'dragPathPoints' | 'stopHotkeys'
>;

type Button = MouseButton;
type EventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;

interface Press {
  down: EventOf<'mousedown'>;
  path: Point[];
  ids: string[];
  modifiers: string[];
  /** The tap this press is the browser's compatibility copy of. */
  compatOf?: DraftStep;
  /** Click events of the same button that came before the release (a ContextMenu on mousedown). */
  clickEvents: number;
}

interface TypingRun {
  step: DraftStep;
  lastT: number;
  field: string | undefined;
}

/** Bookkeeping for pointer steps, so a recorder's `click` after mousedown/mouseup merges instead of doubling. */
interface PointerInfo {
  button: Button;
  pointer: 'mouse' | 'touch' | 'pen';
  presses: number;
  clickEvents: number;
}

/** Targets that take Enter as "submit the form". */
const SUBMITS_ON_ENTER = (t: Target | undefined): boolean =>
  t !== undefined &&
  (t.tag?.toLowerCase() === 'input' || t.inputType !== undefined || t.field !== undefined || ['textbox', 'searchbox', 'combobox'].includes(t.role ?? '')) &&
  !TAKES_NEWLINES(t);

const TAKES_NEWLINES = (t: Target | undefined): boolean =>
  t !== undefined && (t.tag?.toLowerCase() === 'textarea' || t.inputType === 'textarea' || (t.role === 'textbox' && t.tag?.toLowerCase() === 'div'));

/** Input events on these controls are toggles, already covered by the click. */
/** Keys that activate a focused control (the browser then sends it a click with no press). */
const KEY_ACTIVATIONS = new Set(['Space', 'Enter']);

function sameTarget(a: Target | undefined, b: Target | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return (a.selector !== undefined && a.selector === b.selector) || (a.id !== undefined && a.id === b.id);
}

const TOGGLE_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'image', 'range', 'color']);

const TAKES_SPACE_AS_PRESS = (t: Target | undefined): boolean =>
  t !== undefined &&
  (TOGGLE_INPUTS.has(t.inputType?.toLowerCase() ?? '') ||
    t.tag?.toLowerCase() === 'button' ||
    ['checkbox', 'radio', 'switch', 'button'].includes(t.role ?? ''));

const fieldKey = (t: Target | undefined): string | undefined => t?.selector ?? t?.field ?? t?.id ?? t?.name;

/** The step fields every pointer step carries. */
const pointerFields = (button: Button, pointer: 'mouse' | 'touch' | 'pen' | undefined): Partial<DraftStep> => ({
  button,
  ...(pointer === 'touch' || pointer === 'pen' ? { pointer } : {}),
});

/**
 * Turns a time-ordered stream of raw events into draft steps (DESIGN §3), one event at a time,
 * keeping only what an open gesture needs (a press, a typing run, a scroll) so memory stays
 * bounded by the number of steps, not events.
 */
export class StepReducer {
  private readonly steps: DraftStep[] = [];
  private readonly pointerInfo = new WeakMap<DraftStep, PointerInfo>();
  private readonly enterSubmits = new WeakSet<DraftStep>();
  private readonly stopSignatures: Set<string>;
  private pointer: Point | undefined;
  private press: Press | undefined;
  private run: TypingRun | undefined;
  private scroll: DraftStep | undefined;
  /** Modifiers held now, with the id of the keydown that pressed each. */
  private readonly held = new Map<string, string>();
  private readonly duplicates: DuplicateFilter;
  /** The field the person last pressed or typed in (scripted values elsewhere are not typing). */
  private focusedField: string | undefined;
  /** Time of the person's last pointer or key event. */
  private lastPersonT = -Infinity;
  /** Raw events seen and duplicates (exact and recorder near-duplicates) dropped. */
  readonly counts = { events: 0, duplicates: 0 };

  constructor(private readonly opts: ReduceOptions) {
    this.stopSignatures = new Set(opts.stopHotkeys.map((s) => hotkeySignature(parseHotkey(s))));
    this.duplicates = new DuplicateFilter(opts.clickDistancePx);
  }

  push(ev: SessionEvent): void {
    this.counts.events++;
    if (this.duplicates.isDuplicate(ev)) {
      this.counts.duplicates++;
      return;
    }
    switch (ev.type) {
      case 'mousemove':
        // The event itself is the last known position (no copy: moves are most of a recording).
        this.pointer = ev;
        if (this.press) {
          this.press.path.push(ev);
          this.press.ids.push(ev.id);
        }
        return;
      case 'mousedown':
        return this.onMouseDown(ev);
      case 'mouseup':
        return this.onMouseUp(ev);
      case 'click':
        return this.onClick(ev);
      case 'wheel':
        return this.onWheel(ev);
      case 'keydown':
        return this.onKeyDown(ev);
      case 'keyup': {
        const mod = modifierOf(ev.key);
        if (mod) this.held.delete(mod);
        return;
      }
      case 'input':
        return this.onInput(ev);
      case 'select':
        if (ev.scripted && !this.personActedSince(ev.t)) return;
        this.endGestures();
        this.add(ev, 'select', { text: ev.value });
        return;
      case 'check':
        return this.onCheck(ev);
      case 'navigate':
        return this.onNavigate(ev);
      case 'submit':
        return this.onSubmit(ev);
      default: {
        const never: never = ev;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  }

  /** Closes open gestures and returns the steps in time order (ties keep event order). */
  finish(): DraftStep[] {
    if (this.press) this.endPress(this.press.down.t, undefined);
    this.endGestures();
    return this.steps
      .map((s, i) => ({ s, i }))
      .sort((a, b) => a.s.t0 - b.s.t0 || a.i - b.i)
      .map(({ s }) => s);
  }

  private add(ev: SessionEvent, kind: Step['kind'], extra: Partial<DraftStep> = {}, ids: string[] = [ev.id]): DraftStep {
    const step: DraftStep = {
      kind,
      t0: ev.t,
      t1: ev.t,
      ...(ev.target ? { target: ev.target } : {}),
      ...(ev.url !== undefined && ev.type !== 'navigate' ? { url: ev.url } : {}),
      ...extra,
      network: [],
      sourceEvents: ids,
    };
    this.steps.push(step);
    return step;
  }

  private last(): DraftStep | undefined {
    return this.steps[this.steps.length - 1];
  }

  private endGestures(): void {
    this.run = undefined;
    this.scroll = undefined;
  }

  private personActed(ev: SessionEvent): void {
    this.lastPersonT = ev.t;
    if (ev.target) this.focusedField = fieldKey(ev.target);
  }

  private personActedSince(t: number): boolean {
    return t - this.lastPersonT <= this.opts.typingPauseMs;
  }

  private onMouseDown(ev: EventOf<'mousedown'>): void {
    this.endGestures();
    if (this.press) this.endPress(this.press.down.t, undefined);
    this.personActed(ev);
    this.pointer = { x: ev.x, y: ev.y };
    const compatOf = this.tapCopiedBy(ev);
    this.press = { down: ev, path: [{ x: ev.x, y: ev.y }], ids: [ev.id], modifiers: this.heldModifiers(), clickEvents: 0, ...(compatOf ? { compatOf } : {}) };
  }

  /** The tap a mouse event right after it, at its spot, is the browser's compatibility copy of. */
  private tapCopiedBy(ev: { t: number; x?: number; y?: number; pointer?: string | undefined }): DraftStep | undefined {
    if (ev.pointer !== undefined && ev.pointer !== 'mouse') return undefined;
    const prev = this.last();
    if (!prev || this.pointerInfo.get(prev)?.pointer !== 'touch' || ev.t - prev.t1 > TOUCH_COMPAT_MS) return undefined;
    if (
      ev.x !== undefined &&
      ev.y !== undefined &&
      prev.x !== undefined &&
      prev.y !== undefined &&
      distance(prev as Point, ev as Point) > this.opts.clickDistancePx
    )
      return undefined;
    return prev;
  }

  private onMouseUp(ev: EventOf<'mouseup'>): void {
    if (!this.press) return; // a release whose press was not recorded says nothing on its own
    this.pointer = { x: ev.x, y: ev.y };
    this.press.path.push(this.pointer);
    this.press.ids.push(ev.id);
    this.endPress(ev.t, ev);
  }

  private endPress(t1: number, up: EventOf<'mouseup'> | undefined): void {
    const press = this.press!;
    this.press = undefined;
    const { down } = press;
    if (press.compatOf) {
      press.compatOf.sourceEvents.push(...press.ids);
      press.compatOf.t1 = Math.max(press.compatOf.t1, t1);
      return;
    }
    const pointer = pointerFields(down.button, down.pointer);
    const start = { x: down.x, y: down.y };
    const end = up ? { x: up.x, y: up.y } : start;
    const modifiers = press.modifiers.length ? { keys: press.modifiers } : {};
    const isClick = distance(start, end) <= this.opts.clickDistancePx && t1 - down.t <= this.opts.clickMaxMs;
    if (!isClick) {
      const step = this.add(
        down,
        'drag',
        { x: down.x, y: down.y, ...pointer, path: resamplePath(press.path, this.opts.dragPathPoints), ...modifiers },
        press.ids,
      );
      step.t1 = t1;
      if (!step.target && up?.target) step.target = up.target;
      return;
    }
    const prev = this.last();
    if (down.button === 'left' && this.isSecondClick(prev, start, down.t)) {
      prev!.kind = 'double_click';
      prev!.t1 = t1;
      prev!.sourceEvents.push(...press.ids);
      this.pointerInfo.get(prev!)!.presses++;
      return;
    }
    const step = this.add(down, down.button === 'right' ? 'right_click' : 'click', { x: down.x, y: down.y, ...pointer, ...modifiers }, press.ids);
    step.t1 = t1;
    if (!step.target && up?.target) step.target = up.target;
    this.pointerInfo.set(step, { button: down.button, pointer: down.pointer ?? 'mouse', presses: 1, clickEvents: press.clickEvents });
  }

  private isSecondClick(prev: DraftStep | undefined, at: Point, t: number): boolean {
    if (!prev || prev.kind !== 'click' || prev.x === undefined || prev.y === undefined) return false;
    if (this.pointerInfo.get(prev)?.button !== 'left') return false;
    return distance({ x: prev.x, y: prev.y }, at) <= this.opts.clickDistancePx && t - prev.t1 <= this.opts.doubleClickMs;
  }

  private onClick(ev: EventOf<'click'>): void {
    this.personActed(ev);
    // The press this click belongs to is still down (a context menu opens on mousedown).
    if (this.press && this.press.down.button === ev.button) {
      this.press.ids.push(ev.id);
      this.press.clickEvents++;
      return;
    }
    const at = ev.x !== undefined && ev.y !== undefined ? { x: ev.x, y: ev.y } : this.pointer;
    const prev = this.last();
    const info = prev ? this.pointerInfo.get(prev) : undefined;
    // Space or Enter on a control makes the browser click it with no press: the key step is the action.
    if (
      prev &&
      !info &&
      prev.kind === 'hotkey' &&
      KEY_ACTIVATIONS.has(prev.keys?.join('+') ?? '') &&
      ev.t - prev.t1 <= this.opts.clickMaxMs &&
      sameTarget(prev.target, ev.target)
    ) {
      prev.sourceEvents.push(ev.id);
      prev.t1 = Math.max(prev.t1, ev.t);
      return;
    }
    // The recorder also reported the click it saw as mousedown + mouseup: fold it in.
    if (
      prev &&
      info &&
      info.button === ev.button &&
      info.clickEvents < info.presses &&
      ev.t - prev.t1 <= this.opts.clickMaxMs &&
      (ev.x === undefined ||
        ev.y === undefined ||
        prev.x === undefined ||
        prev.y === undefined ||
        distance({ x: prev.x, y: prev.y }, { x: ev.x, y: ev.y }) <= this.opts.clickDistancePx)
    ) {
      info.clickEvents++;
      prev.sourceEvents.push(ev.id);
      // The pressed element wins: a release on another element (an overlay) makes the browser
      // click their common ancestor.
      if (!prev.target && ev.target) prev.target = ev.target;
      if (ev.count >= 2 && prev.kind === 'click') prev.kind = 'double_click';
      prev.t1 = Math.max(prev.t1, ev.t);
      return;
    }
    // Enter in a form makes the browser "click" its default button with no pointer (at 0,0):
    // part of the keyboard submit already recorded, not a click of the person's.
    if (prev && prev.kind === 'submit' && this.enterSubmits.has(prev) && ev.t - prev.t1 <= SYNTHETIC_CLICK_MS && (ev.x ?? 0) === 0 && (ev.y ?? 0) === 0) {
      prev.sourceEvents.push(ev.id);
      prev.t1 = ev.t;
      return;
    }
    // The browser's dblclick event after the two clicks it sums up.
    if (prev && info && prev.kind === 'double_click' && ev.count >= 2 && info.button === ev.button && ev.t - prev.t1 <= this.opts.clickMaxMs) {
      prev.sourceEvents.push(ev.id);
      prev.t1 = Math.max(prev.t1, ev.t);
      return;
    }
    // A tap's compatibility click that came after its own mouse press already folded in.
    const tap = this.tapCopiedBy(ev);
    if (tap) {
      tap.sourceEvents.push(ev.id);
      tap.t1 = Math.max(tap.t1, ev.t);
      return;
    }
    this.endGestures();
    if (ev.button === 'left' && at && this.isSecondClick(prev, at, ev.t)) {
      prev!.kind = 'double_click';
      prev!.t1 = ev.t;
      prev!.sourceEvents.push(ev.id);
      const pInfo = this.pointerInfo.get(prev!)!;
      pInfo.presses++;
      pInfo.clickEvents++;
      return;
    }
    const kind = ev.button === 'right' ? 'right_click' : ev.count >= 2 ? 'double_click' : 'click';
    const modifiers = this.heldModifiers();
    const step = this.add(ev, kind, {
      ...(at ? { x: at.x, y: at.y } : {}),
      ...pointerFields(ev.button, ev.pointer),
      ...(modifiers.length ? { keys: modifiers } : {}),
    });
    this.pointerInfo.set(step, { button: ev.button, pointer: ev.pointer ?? 'mouse', presses: 1, clickEvents: 1 });
  }

  /** A checkbox/radio change: the click that caused it becomes the check step, else a step of its own. */
  private onCheck(ev: EventOf<'check'>): void {
    if (ev.scripted && !this.personActedSince(ev.t)) return;
    if (!ev.checked && ev.target?.inputType?.toLowerCase() === 'radio') return; // another radio was checked
    const value = ev.value === undefined ? {} : { text: ev.value };
    const prev = this.last();
    const cause =
      prev &&
      ev.t - prev.t1 <= this.opts.clickMaxMs &&
      ((prev.kind === 'click' && this.pointerInfo.has(prev)) || (prev.kind === 'hotkey' && prev.keys?.join('+') === 'Space'));
    if (prev && cause) {
      prev.kind = 'check';
      delete prev.keys;
      prev.checked = ev.checked;
      Object.assign(prev, value);
      if (ev.target) prev.target = ev.target;
      prev.sourceEvents.push(ev.id);
      prev.t1 = Math.max(prev.t1, ev.t);
      this.pointerInfo.delete(prev);
      return;
    }
    this.endGestures();
    this.add(ev, 'check', { checked: ev.checked, ...value });
  }

  private onWheel(ev: EventOf<'wheel'>): void {
    this.run = undefined;
    const open = this.scroll;
    if (open && open === this.last() && ev.t - open.t1 <= this.opts.scrollPauseMs) {
      open.dx = (open.dx ?? 0) + ev.dx;
      open.dy = (open.dy ?? 0) + ev.dy;
      open.t1 = ev.t;
      open.sourceEvents.push(ev.id);
      return;
    }
    const at = ev.x !== undefined && ev.y !== undefined ? { x: ev.x, y: ev.y } : this.pointer;
    this.scroll = this.add(ev, 'scroll', { ...(at ? { x: at.x, y: at.y } : {}), dx: ev.dx, dy: ev.dy });
  }

  /** Modifiers held now, in hotkey order. */
  private heldModifiers(): string[] {
    return orderedModifiers(new Set(this.held.keys()));
  }

  private modifierIds(mods: string[]): string[] {
    return mods.map((m) => this.held.get(m)).filter((id): id is string => id !== undefined);
  }

  private onKeyDown(ev: EventOf<'keydown'>): void {
    this.personActed(ev);
    const mod = modifierOf(ev.key);
    if (mod) {
      if (!this.held.has(mod)) this.held.set(mod, ev.id);
      return; // a lone modifier press is never a step; a used one joins its hotkey's sources
    }
    if (isInert(ev.key)) return;
    // Windows reports AltGr as Control + AltGr: with AltGr down, Control and Alt are its, not a command.
    const altGr = this.held.has('AltGraph');
    const commandMods = [...this.held.keys()].filter((m) => m === 'Meta' || (!altGr && (m === 'Control' || m === 'Alt')));
    // Space on a checkbox, radio or button toggles or presses it: a key step, not typing.
    const printable = isPrintable(ev.key) && !(ev.key === ' ' && TAKES_SPACE_AS_PRESS(ev.target));
    if (printable && commandMods.length === 0) return this.typeChar(ev, ev.key);
    if (ev.key === 'Backspace' && commandMods.length === 0 && this.run && this.continuesRun(ev)) {
      const run = this.run;
      run.step.text = (run.step.text ?? '').replace(/[\s\S]$/u, '');
      this.extendRun(run, ev);
      return;
    }
    if (ev.key === 'Enter' && commandMods.length === 0 && !this.held.has('Shift')) {
      const target = ev.target ?? this.run?.step.target;
      if (this.run && TAKES_NEWLINES(target) && this.continuesRun(ev)) return this.typeChar(ev, '\n');
      if (SUBMITS_ON_ENTER(target)) {
        this.endGestures();
        const step = this.add(ev, 'submit', target ? { target } : {});
        this.enterSubmits.add(step);
        return;
      }
    }
    const mods = this.heldModifiers();
    const keys = [...mods, hotkeyKey(ev.key)];
    const ids = [...this.modifierIds(mods), ev.id];
    this.endGestures();
    if (this.stopSignatures.has(hotkeySignature(keys))) return;
    this.add(ev, 'hotkey', { keys }, ids);
  }

  private continuesRun(ev: SessionEvent): boolean {
    const run = this.run;
    if (!run) return false;
    if (ev.t - run.lastT > this.opts.typingPauseMs) return false;
    const field = fieldKey(ev.target);
    return run.field === undefined || field === undefined || field === run.field;
  }

  private typeChar(ev: EventOf<'keydown'>, ch: string): void {
    if (!this.continuesRun(ev)) this.startRun(ev, '');
    const run = this.run!;
    run.step.text = (run.step.text ?? '') + ch;
    this.extendRun(run, ev);
  }

  private startRun(ev: SessionEvent, text: string): void {
    this.endGestures();
    const step = this.add(ev, 'type', { text });
    this.run = { step, lastT: ev.t, field: fieldKey(ev.target) };
  }

  private extendRun(run: TypingRun, ev: SessionEvent): void {
    if (run.step.sourceEvents[run.step.sourceEvents.length - 1] !== ev.id) run.step.sourceEvents.push(ev.id);
    run.step.t1 = ev.t;
    run.lastT = ev.t;
    if (!run.step.target && ev.target) run.step.target = ev.target;
    run.field ??= fieldKey(ev.target);
  }

  /** A field's whole value: it replaces the run's text (the last value per field wins). */
  private onInput(ev: EventOf<'input'>): void {
    if (ev.target?.inputType && TOGGLE_INPUTS.has(ev.target.inputType.toLowerCase())) return;
    const field = fieldKey(ev.target);
    if (ev.scripted) {
      if (field === undefined || field !== this.focusedField) return; // a page script filled a field the person is not in
    } else if (ev.target) this.focusedField = field;
    const prev = this.last();
    const sameField = (f: string | undefined) => f === undefined || field === undefined || f === field;
    if (this.run && sameField(this.run.field)) {
      // Whole values carry their own history, so a pause does not split them.
    } else if (prev && prev.kind === 'type' && field !== undefined && fieldKey(prev.target) === field) {
      this.scroll = undefined;
      this.run = { step: prev, lastT: prev.t1, field };
    } else {
      this.startRun(ev, '');
    }
    const run = this.run!;
    run.step.text = ev.value;
    this.extendRun(run, ev);
    // The field's own description is better than a keydown's (often the page body).
    if (ev.target && (run.step.target === undefined || fieldKey(run.step.target) === undefined)) run.step.target = ev.target;
  }

  private onNavigate(ev: EventOf<'navigate'>): void {
    this.endGestures();
    const prev = this.last();
    if (prev && prev.kind === 'navigate' && prev.url === ev.url) {
      prev.t1 = ev.t;
      prev.sourceEvents.push(ev.id);
      return;
    }
    this.add(ev, 'navigate', { text: ev.url, url: ev.url });
  }

  private onSubmit(ev: EventOf<'submit'>): void {
    this.endGestures();
    const prev = this.last();
    if (prev && prev.kind === 'submit' && this.enterSubmits.has(prev) && ev.t - prev.t1 <= this.opts.typingPauseMs) {
      // The Enter that caused this submit is already a submit step.
      this.enterSubmits.delete(prev);
      prev.t1 = ev.t;
      prev.sourceEvents.push(ev.id);
      if (ev.target) prev.target = ev.target;
      return;
    }
    this.add(ev, 'submit');
  }
}

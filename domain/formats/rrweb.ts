import { basename, extname } from 'node:path';
import type { InputEvent, Target } from '../session/model.ts';
import { toSessionId, writeNativeSession } from '../session/write.ts';
import type { SessionFormat } from './format.ts';
import { fieldError, isRecord, optNumber, readJsonFile, tryReadJson } from './read-input.ts';
import { RrwebNodeMap, type RrwebNode } from './rrweb-nodes.ts';

/**
 * rrweb event JSON: an array of `{type, data, timestamp}` (or `{events: [...]}`).
 * Used: type 2 full snapshot (node tree → targets), type 3 incremental (source 0 mutation adds,
 * 1 mouse moves, 2 mouse interactions, 3 scroll, 5 input), type 4 meta (navigate, viewport).
 * A click at (0,0) with no press before it is a keyboard activation: on a submit button it is the
 * browser's implicit submission (Enter in a field) and becomes a `submit`; on a checkbox or radio
 * (Space) it is dropped, the Input event that follows being the change.
 *
 * Mouse interactions with a position become mousedown/mouseup (TouchStart/TouchEnd with
 * `pointer: 'touch'`; `pointerType` 1 pen, 2 touch), so a press that the release ends on another
 * element (an overlay) is a click on the pressed one; rrweb does not record the button, so a
 * press whose ContextMenu comes before its release is the right button. Click, DblClick and
 * ContextMenu are click events (the reducer folds them into the press).
 * Inputs: a checkbox/radio change is a `check` event (isChecked); a value a page script set is
 * `scripted` (rrweb's `userTriggered: false`, recorded with userTriggeredOnInput; without that
 * option, a text field's value change when that field never got a Focus interaction, in a
 * recording that has Focus interactions).
 *
 * Some exports (rrweb's own test snapshots) strip `timestamp`: then times are synthesized from
 * order, SYNTH_MS apart, so the clock stays monotonic.
 */
const SYNTH_MS = 100;

const enum Kind {
  FullSnapshot = 2,
  Incremental = 3,
  Meta = 4,
}
const enum Source {
  Mutation = 0,
  MouseMove = 1,
  MouseInteraction = 2,
  Scroll = 3,
  Input = 5,
  TouchMove = 6,
  Drag = 12,
}
/** rrweb MouseInteractions enum values. */
const Interaction = { MouseUp: 0, MouseDown: 1, Click: 2, ContextMenu: 3, DblClick: 4, Focus: 5, Blur: 6, TouchStart: 7, TouchEnd: 9 } as const;
/** rrweb PointerTypes enum values. */
const POINTER_TYPES: Record<number, 'mouse' | 'pen' | 'touch'> = { 0: 'mouse', 1: 'pen', 2: 'touch' };

/** Text fields: value changes there are typing; checkbox/radio/select changes are not. */
const isTextField = (t: Target | undefined) =>
  t !== undefined && (t.tag === 'textarea' || (t.tag === 'input' && !['checkbox', 'radio'].includes(t.inputType ?? '')));

/**
 * The MouseDowns (by index) of right presses: their ContextMenu came before the release (macOS,
 * Linux) or is the next pointer interaction after it (Windows opens the menu on mouseup).
 */
function rightPresses(raw: unknown[]): Set<number> {
  const out = new Set<number>();
  let open: number | undefined;
  let released: number | undefined;
  raw.forEach((e, i) => {
    if (!isRecord(e) || e['type'] !== Kind.Incremental || !isRecord(e['data']) || e['data']['source'] !== Source.MouseInteraction) return;
    const kind = e['data']['type'];
    if (kind === Interaction.Focus || kind === Interaction.Blur) return;
    if (kind === Interaction.ContextMenu) {
      const press = open ?? released;
      if (press !== undefined) out.add(press);
    }
    released = kind === Interaction.MouseUp ? open : undefined;
    if (kind === Interaction.MouseDown) open = i;
    else if (kind === Interaction.MouseUp) open = undefined;
  });
  return out;
}

/**
 * MouseDown/MouseUp pairs of a button rrweb cannot name: released where pressed, yet no Click,
 * DblClick or ContextMenu followed before the next press. The primary button always gets its
 * click and the secondary its context menu, so such a press was the middle, back or forward
 * button, which rrweb records without saying which: it is left out rather than called a left click.
 */
function clicklessPresses(raw: unknown[]): Set<number> {
  const out = new Set<number>();
  let down: { i: number; x: unknown; y: unknown } | undefined;
  let up: number | undefined;
  const close = () => {
    if (down !== undefined && up !== undefined) (out.add(down.i), out.add(up));
    down = undefined;
    up = undefined;
  };
  raw.forEach((e, i) => {
    if (!isRecord(e) || e['type'] !== Kind.Incremental || !isRecord(e['data']) || e['data']['source'] !== Source.MouseInteraction) return;
    const d = e['data'];
    const kind = d['type'];
    if (kind === Interaction.MouseDown) {
      close();
      down = { i, x: d['x'], y: d['y'] };
    } else if (kind === Interaction.MouseUp && down !== undefined) {
      const still =
        typeof d['x'] === 'number' &&
        typeof d['y'] === 'number' &&
        typeof down.x === 'number' &&
        typeof down.y === 'number' &&
        Math.hypot(d['x'] - down.x, d['y'] - down.y) <= 5;
      if (still) up = i;
      else down = undefined; // a drag: it has no click, and it is kept
    } else if (kind === Interaction.Click || kind === Interaction.DblClick || kind === Interaction.ContextMenu) {
      down = undefined;
      up = undefined;
    }
  });
  close();
  return out;
}

/** rrweb records Focus interactions unless sampled out; only then does "never focused" mean anything. */
const recordsFocus = (raw: unknown[]) =>
  raw.some(
    (e) =>
      isRecord(e) &&
      e['type'] === Kind.Incremental &&
      isRecord(e['data']) &&
      e['data']['source'] === Source.MouseInteraction &&
      e['data']['type'] === Interaction.Focus,
  );

function eventsOf(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc;
  if (isRecord(doc) && Array.isArray(doc['events'])) return doc['events'];
  return undefined;
}

/** A control whose activation submits its form (a <button> submits unless its type says otherwise). */
function isSubmitButton(node: RrwebNode | undefined): boolean {
  const type = typeof node?.attributes['type'] === 'string' ? node.attributes['type'].toLowerCase() : undefined;
  if (node?.tag === 'button') return type === undefined || type === 'submit';
  return node?.tag === 'input' && (type === 'submit' || type === 'image');
}

export const rrweb: SessionFormat = {
  name: 'rrweb',
  async detect(path) {
    if (extname(path).toLowerCase() !== '.json') return false;
    const events = eventsOf(await tryReadJson(path));
    return (
      events !== undefined &&
      events.length > 0 &&
      events.every((e) => isRecord(e) && typeof e['type'] === 'number' && 'data' in e) &&
      events.some((e) => isRecord(e) && (e['type'] === Kind.FullSnapshot || e['type'] === Kind.Meta))
    );
  },
  async convert(path, outDir, opts) {
    const file = basename(path);
    const raw = eventsOf(await readJsonFile(path));
    if (raw === undefined) return fieldError({ file: path }, '(root)', 'must be an array of rrweb events or {events: [...]}');
    const hasTimestamps = raw.every((e) => isRecord(e) && typeof e['timestamp'] === 'number');
    const firstTs = hasTimestamps ? Math.min(...raw.map((e) => (e as { timestamp: number }).timestamp)) : 0;

    const nodes = new RrwebNodeMap();
    const events: InputEvent[] = [];
    let url: string | undefined;
    let viewport: { width: number; height: number } | undefined;
    const scrollPos = new Map<number, { x: number; y: number }>();
    /** The open edit run: consecutive Input events on one field collapse into its last value. */
    let pendingInput: { nodeId: number; event: InputEvent } | undefined;
    const rightPressAt = rightPresses(raw);
    const unnamedButton = clicklessPresses(raw);
    const focusKnown = recordsFocus(raw);
    const focused = new Set<number>();
    let rightPressOpen = false;
    /** A press came since the last click: that click had a pointer press behind it. */
    let pressedSinceClick = false;
    /** The node the last press pressed. */
    let pressedId: number | undefined;

    const flush = () => {
      if (pendingInput !== undefined) events.push(pendingInput.event);
      pendingInput = undefined;
    };

    raw.forEach((e, i) => {
      const place = { file: path };
      if (!isRecord(e)) return fieldError(place, `[${i}]`, 'must be an object');
      const type = e['type'];
      const data = e['data'];
      if (typeof type !== 'number') return fieldError(place, `[${i}].type`, 'must be a number');
      if (!isRecord(data)) return fieldError(place, `[${i}].data`, 'must be an object');
      const t = hasTimestamps ? (e['timestamp'] as number) - firstTs : i * SYNTH_MS;
      const base = { id: `${file}#${i}`, t, ...(url === undefined ? {} : { url }) };
      const targetOf = (id: unknown) => {
        const tg = typeof id === 'number' ? nodes.target(id) : undefined;
        return tg === undefined ? {} : { target: tg };
      };

      if (type === Kind.FullSnapshot) {
        nodes.addTree(data['node']);
        return;
      }
      if (type === Kind.Meta) {
        const href = data['href'];
        const width = optNumber(data['width']);
        const height = optNumber(data['height']);
        if (width !== undefined && height !== undefined && width > 0 && height > 0) viewport ??= { width, height };
        if (typeof href === 'string') {
          flush();
          url = href;
          events.push({ ...base, type: 'navigate', url: href });
        }
        return;
      }
      if (type !== Kind.Incremental) return;
      const source = data['source'];
      switch (source) {
        case Source.Mutation: {
          const adds = data['adds'];
          if (Array.isArray(adds)) for (const a of adds) if (isRecord(a)) nodes.addTree(a['node'], optNumber(a['parentId']));
          return;
        }
        case Source.MouseMove:
        case Source.TouchMove: {
          const positions = data['positions'];
          if (!Array.isArray(positions)) return;
          positions.forEach((p, k) => {
            if (!isRecord(p) || typeof p['x'] !== 'number' || typeof p['y'] !== 'number') return;
            const offset = optNumber(p['timeOffset']) ?? 0;
            events.push({ ...base, id: `${file}#${i}.${k}`, t: Math.max(0, t + (hasTimestamps ? offset : 0)), type: 'mousemove', x: p['x'], y: p['y'] });
          });
          return;
        }
        case Source.MouseInteraction: {
          const kind = data['type'];
          const x = data['x'];
          const y = data['y'];
          const hasPoint = typeof x === 'number' && typeof y === 'number';
          const xy = hasPoint ? { x, y } : {};
          const isTouch = kind === Interaction.TouchStart || kind === Interaction.TouchEnd;
          const pointerType = isTouch ? 'touch' : POINTER_TYPES[optNumber(data['pointerType']) ?? 0];
          const pointer = pointerType === undefined || pointerType === 'mouse' ? {} : { pointer: pointerType };
          if (kind === Interaction.Focus) {
            const id = optNumber(data['id']);
            if (id !== undefined) focused.add(id);
            return;
          }
          if (hasPoint && (kind === Interaction.MouseDown || kind === Interaction.MouseUp || isTouch)) {
            if (unnamedButton.has(i)) return;
            flush();
            const isDown = kind === Interaction.MouseDown || kind === Interaction.TouchStart;
            if (isDown) {
              rightPressOpen = rightPressAt.has(i);
              pressedSinceClick = true;
              pressedId = optNumber(data['id']);
            }
            const pressedNode = optNumber(data['id']);
            events.push({
              ...base,
              ...targetOf(pressedNode === undefined ? undefined : nodes.controlAround(pressedNode)),
              type: isDown ? 'mousedown' : 'mouseup',
              x,
              y,
              button: rightPressOpen ? 'right' : 'left',
              ...pointer,
            });
            if (!isDown) rightPressOpen = false;
            return;
          }
          const clickLike = kind === Interaction.Click || kind === Interaction.DblClick || kind === Interaction.ContextMenu || kind === Interaction.TouchEnd;
          if (!clickLike) return;
          flush();
          const clickedId = optNumber(data['id']);
          const pressed = pressedSinceClick;
          pressedSinceClick = false;
          // Enter in a form makes the browser click its default button with no pointer (at 0,0, no
          // press before it): rrweb's only trace of a keyboard submit.
          const keyboardActivation = kind === Interaction.Click && !pressed && x === 0 && y === 0;
          if (keyboardActivation && isSubmitButton(nodes.nodes.get(clickedId ?? -1))) {
            events.push({ ...base, ...targetOf(clickedId), type: 'submit' });
            return;
          }
          // Space on a focused checkbox or radio: no pointer was used; its Input event is the change.
          const toggle = nodes.target(clickedId ?? -1)?.inputType;
          if (keyboardActivation && (toggle === 'checkbox' || toggle === 'radio')) return;
          // A release on another element (an overlay a press laid over the page, as select2 does)
          // sends the click to the common ancestor: the person clicked what they pressed.
          const acted =
            pressed && pressedId !== undefined && clickedId !== undefined && pressedId !== clickedId && nodes.contains(clickedId, pressedId)
              ? pressedId
              : clickedId;
          events.push({
            ...base,
            ...targetOf(acted === undefined ? undefined : nodes.controlAround(acted)),
            type: 'click',
            ...xy,
            button: kind === Interaction.ContextMenu ? 'right' : 'left',
            count: kind === Interaction.DblClick ? 2 : 1,
            ...pointer,
          });
          return;
        }
        case Source.Scroll: {
          const id = optNumber(data['id']) ?? 0;
          const x = optNumber(data['x']) ?? 0;
          const y = optNumber(data['y']) ?? 0;
          const prev = scrollPos.get(id) ?? { x: 0, y: 0 };
          scrollPos.set(id, { x, y });
          flush();
          events.push({ ...base, ...targetOf(id), type: 'wheel', dx: x - prev.x, dy: y - prev.y });
          return;
        }
        case Source.Input: {
          const id = optNumber(data['id']);
          if (id === undefined) return fieldError(place, `[${i}].data.id`, 'is missing');
          const target = nodes.target(id);
          const inputType = target?.inputType;
          const text = data['text'];
          const neverFocused = focusKnown && isTextField(target) && !focused.has(id);
          const scripted = data['userTriggered'] === false || neverFocused ? { scripted: true } : {};
          if (inputType === 'checkbox' || inputType === 'radio') {
            flush();
            const checked = data['isChecked'] === true;
            // A radio's text is its value attribute; a checkbox's is always "on", which says nothing.
            const value = inputType === 'radio' && typeof text === 'string' ? { value: text } : {};
            events.push({ ...base, ...targetOf(id), type: 'check', checked, ...value, ...scripted });
            return;
          }
          if (typeof text !== 'string') return fieldError(place, `[${i}].data.text`, 'must be a string');
          const isSelect = target?.tag === 'select';
          // A run is one field's values from one author: the person's edits, then a script's, are two.
          if (pendingInput !== undefined && (pendingInput.nodeId !== id || 'scripted' in pendingInput.event !== 'scripted' in scripted)) flush();
          const event: InputEvent = isSelect
            ? { ...base, ...targetOf(id), type: 'select', value: text, ...scripted }
            : { ...base, ...targetOf(id), type: 'input', value: text, ...scripted };
          // The run is stamped with its last keystroke: the moment the field reached this value.
          pendingInput = { nodeId: id, event };
          return;
        }
        default:
          return;
      }
    });
    flush();

    const id = toSessionId(basename(path, extname(path)));
    await writeNativeSession(outDir, {
      meta: {
        id,
        suite: opts.suite ?? 'web',
        recorder: 'rrweb',
        startedAt: new Date(hasTimestamps ? firstTs : 0).toISOString(),
        ...(viewport === undefined ? {} : { viewport }),
      },
      events,
    });
    return [id];
  },
};

import { canonicalJson } from '../../engine/hash.ts';
import type { SessionEvent } from '../session/read.ts';
import { distance } from './geometry.ts';
import { hotkeyKey } from './keys.ts';

/**
 * Recorders write some events twice: a key pressed again this soon with no release between, a
 * button pressed again with no release, or a click again at the same spot, is the same event.
 * A person cannot do these faster (auto-repeat is >= ~30 ms apart, a double click's second
 * press comes >= ~50 ms after the first), so real repeats and double clicks stay.
 */
export const NEAR_DUPLICATE_MS = 10;

/** Everything about an event but its id, in canonical (key-sorted) form. */
function eventKey(ev: SessionEvent): string {
  const { id: _id, ...rest } = ev;
  return canonicalJson(rest);
}

/** Drops exact duplicates (every field but the id equal) and the recorder near-duplicates above. */
export class DuplicateFilter {
  /** Events at the current time (exact duplicates share their time); keys only once a second one comes. */
  private dupT = -1;
  private dupFirst: SessionEvent | undefined;
  private readonly dupKeys = new Set<string>();
  /** Keys and buttons down now, with the time of their last press. */
  private readonly keysDown = new Map<string, number>();
  private readonly buttonsDown = new Map<string, number>();
  private lastClick: Extract<SessionEvent, { type: 'click' }> | undefined;

  constructor(private readonly clickDistancePx: number) {}

  isDuplicate(ev: SessionEvent): boolean {
    if (this.isExactDuplicate(ev)) return true;
    switch (ev.type) {
      case 'keydown': {
        const key = ev.code ?? hotkeyKey(ev.key);
        const prev = this.keysDown.get(key);
        this.keysDown.set(key, ev.t);
        return prev !== undefined && ev.t - prev <= NEAR_DUPLICATE_MS;
      }
      case 'keyup':
        this.keysDown.delete(ev.code ?? hotkeyKey(ev.key));
        return false;
      case 'mousedown': {
        const prev = this.buttonsDown.get(ev.button);
        this.buttonsDown.set(ev.button, ev.t);
        return prev !== undefined && ev.t - prev <= NEAR_DUPLICATE_MS;
      }
      case 'mouseup':
        this.buttonsDown.delete(ev.button);
        return false;
      case 'click': {
        const prev = this.lastClick;
        this.lastClick = ev;
        return prev !== undefined && prev.button === ev.button && ev.t - prev.t <= NEAR_DUPLICATE_MS && this.samePoint(prev, ev);
      }
      default:
        return false;
    }
  }

  private samePoint(a: { x?: number; y?: number }, b: { x?: number; y?: number }): boolean {
    if (a.x === undefined || a.y === undefined || b.x === undefined || b.y === undefined) return a.x === b.x && a.y === b.y;
    return distance({ x: a.x, y: a.y }, { x: b.x, y: b.y }) <= this.clickDistancePx;
  }

  // Exact duplicates share their time, so only events at the current time need remembering,
  // and most events are alone at their time, so nothing is serialized for them.
  private isExactDuplicate(ev: SessionEvent): boolean {
    if (ev.t !== this.dupT) {
      this.dupT = ev.t;
      this.dupFirst = ev;
      this.dupKeys.clear();
      return false;
    }
    if (this.dupFirst !== undefined) {
      this.dupKeys.add(eventKey(this.dupFirst));
      this.dupFirst = undefined;
    }
    const key = eventKey(ev);
    if (this.dupKeys.has(key)) return true;
    this.dupKeys.add(key);
    return false;
  }
}

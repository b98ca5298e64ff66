import { canonicalJson } from '../../engine/hash.ts';
import type { SessionEvent } from '../../domain/session/read.ts';
import { distance } from './geometry.ts';
import { hotkeyKey } from '../../domain/session/keys.ts';

/**
 * Recorders write some events twice, the copy a few ms later: a key or button pressed again
 * this soon after its last press (released in between or not), or a click event again at the
 * same spot, is the same event. A person cannot do these faster (auto-repeat is >= ~30 ms
 * apart, a double click's second press comes >= ~50 ms after the first), so real repeats and
 * double clicks stay.
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
  /** Time of each key's and button's last press. */
  private readonly lastKeyDown = new Map<string, number>();
  private readonly lastButtonDown = new Map<string, number>();
  private lastClick: Extract<SessionEvent, { type: 'click' }> | undefined;

  constructor(private readonly clickDistancePx: number) {}

  isDuplicate(ev: SessionEvent): boolean {
    if (this.isExactDuplicate(ev)) return true;
    switch (ev.type) {
      case 'keydown':
        return this.pressedAgain(this.lastKeyDown, ev.code ?? hotkeyKey(ev.key), ev.t);
      case 'mousedown':
        return this.pressedAgain(this.lastButtonDown, ev.button, ev.t);
      case 'click': {
        const prev = this.lastClick;
        this.lastClick = ev;
        // A dblclick event right after the second click is the browser's own, not a copy.
        return (
          prev !== undefined &&
          prev.button === ev.button &&
          prev.count === ev.count &&
          ev.t - prev.t <= NEAR_DUPLICATE_MS &&
          this.samePoint(prev, ev) &&
          // A label forwards its click to its control: the same click, on another element.
          (prev.target?.tag === 'label' || canonicalJson(prev.target ?? null) === canonicalJson(ev.target ?? null))
        );
      }
      default:
        return false;
    }
  }

  /** The copy's own release then finds nothing pressed, which the reducer already ignores. */
  private pressedAgain(last: Map<string, number>, key: string, t: number): boolean {
    const prev = last.get(key);
    if (prev !== undefined && t - prev <= NEAR_DUPLICATE_MS) return true;
    last.set(key, t);
    return false;
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

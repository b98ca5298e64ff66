import type { LEntry, LMap, LNode } from './located.ts';
import { isNullScalar } from './located.ts';

/**
 * Deep-merges a variant's overrides onto the pipeline: mappings merge key by key,
 * lists and scalars replace, and `null` deletes the key. Returns undefined when
 * the overlay deletes the whole value.
 */
export function applyOverlay(base: LNode | undefined, overlay: LNode): LNode | undefined {
  if (isNullScalar(overlay)) return undefined;
  if (overlay.kind !== 'map') return overlay;
  if (base?.kind !== 'map') return withoutNulls(overlay);
  const entries = new Map(base.entries);
  for (const [key, over] of overlay.entries) {
    const existing = entries.get(key);
    const merged = applyOverlay(existing?.value, over.value);
    if (merged === undefined) {
      entries.delete(key);
      continue;
    }
    // A merged mapping keeps the key where it was first written; a replaced value points at the override.
    const keyLoc = existing !== undefined && merged.kind === 'map' && existing.value.kind === 'map' ? existing.keyLoc : over.keyLoc;
    entries.set(key, { keyLoc, value: merged });
  }
  return { ...base, entries };
}

/** A new subtree from an overlay has nothing to delete, so its nulls are dropped. */
function withoutNulls(map: LMap): LMap {
  const entries = new Map<string, LEntry>();
  for (const [key, entry] of map.entries) {
    if (isNullScalar(entry.value)) continue;
    entries.set(key, { keyLoc: entry.keyLoc, value: entry.value.kind === 'map' ? withoutNulls(entry.value) : entry.value });
  }
  return { ...map, entries };
}

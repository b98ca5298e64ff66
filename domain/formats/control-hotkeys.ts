import { hotkeySignature, modifierOf, orderedModifiers, parseHotkey } from '../session/keys.ts';
import type { InputEvent } from '../session/model.ts';

/**
 * Drops the key presses of a recorder's own control shortcuts (start/stop/pause recording):
 * the recorder's app took them, the recorded program never saw them. The chord's main key
 * (keydown and its keyup) goes; its modifiers stay, and a modifier pressed alone is no step.
 * `hotkeys` are spelled like the `stopHotkeys` option ("Control+Alt+T").
 */
export function dropControlHotkeys(events: InputEvent[], hotkeys: readonly string[]): InputEvent[] {
  const signatures = new Set(hotkeys.map((h) => hotkeySignature(parseHotkey(h))));
  const held = new Set<string>();
  const dropping = new Set<string>();
  return events.filter((ev) => {
    if (ev.type !== 'keydown' && ev.type !== 'keyup') return true;
    const mod = modifierOf(ev.key);
    const key = ev.key.toLowerCase();
    if (ev.type === 'keyup') {
      if (mod) held.delete(mod);
      return !dropping.delete(key);
    }
    if (mod) {
      held.add(mod);
      return true;
    }
    if (dropping.has(key)) return false; // auto-repeat of a dropped shortcut
    if (!signatures.has(hotkeySignature([...orderedModifiers(held), ev.key]))) return true;
    dropping.add(key);
    return false;
  });
}

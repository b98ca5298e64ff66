import { inputError, type TracepipeError } from '../errors.ts';
import type { Item, MapStage } from '../stage.ts';

/**
 * Items whose outputs share a value the stage says must be unique (load's session id), each
 * with the error it fails with, naming the others. Run and plan both ask this, so a plan
 * knows which items a run will fail without running anything.
 */
export function clashingItems(uniqueBy: NonNullable<MapStage['uniqueBy']>, outputs: { item: Item; output: () => unknown }[]): Map<Item, TracepipeError> {
  const byValue = new Map<string, Item[]>();
  for (const { item, output } of outputs) {
    const value = uniqueBy(output());
    if (value !== undefined) byValue.set(value, [...(byValue.get(value) ?? []), item]);
  }
  const failed = new Map<Item, TracepipeError>();
  for (const [value, clash] of byValue) {
    if (clash.length < 2) continue;
    for (const item of clash) {
      const others = clash.filter((x) => x !== item).map((x) => x.path);
      failed.set(
        item,
        inputError(`${item.path}: its id "${value}" is also the id of ${others.join(', ')}`, {
          location: { file: item.path },
          hint: "Give each session its own id (two sessions with one id would overwrite each other's outputs); none of them was processed further.",
        }),
      );
    }
  }
  return failed;
}

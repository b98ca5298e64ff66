import { TracepipeError } from '../../engine/errors.ts';
import type { StageNode } from '../../engine/config/types.ts';
import { parseActionToolMap, type ActionToolMap } from '../../domain/toolmap/index.ts';

/** The node's action-tool map, validated. */
export function nodeToolMap(node: StageNode): ActionToolMap {
  const ref = node.actionToolMap;
  if (ref === undefined) {
    throw new TracepipeError('TP_CONFIG', `stage "${node.id}" has no action-tool map`, {
      hint: `Give the node an actionToolMap (a name under actionToolMaps, e.g. maps/gmail-tools.yaml).`,
    });
  }
  return parseActionToolMap(ref.value, ref.file ?? `actionToolMaps.${ref.name}`);
}

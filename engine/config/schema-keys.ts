import type { z } from 'zod';
import type { Path } from './located.ts';
import { isPlainObject } from '../values.ts';

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The keys an object schema knows at `path` (through optionals, defaults, records, arrays), for did-you-mean. */
export function objectKeysAt(schema: z.ZodType, path: Path): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    if (current === undefined) return [];
    const def = defOf(current);
    if (def.type === 'object') current = def.shape?.[String(seg)] as z.ZodType | undefined;
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = def.element;
    else return [];
    current = current === undefined ? undefined : unwrap(current);
  }
  if (current === undefined) return [];
  const def = defOf(current);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Whether the schema is a plain `z.object` (which silently drops unknown keys). */
export function stripsUnknownKeys(schema: z.ZodType): boolean {
  const s = unwrap(schema);
  const def = defOf(s) as Def & { catchall?: unknown };
  return def.type === 'object' && def.catchall === undefined;
}

/**
 * Keys in `input` that a plain `z.object` somewhere in `schema` would drop
 * without a word (at any depth of nested objects), with the keys it knows there.
 */
export function droppedKeys(schema: z.ZodType, input: unknown, path: Path = []): { path: Path; key: string; known: string[] }[] {
  if (!isPlainObject(input)) return [];
  const def = defOf(unwrap(schema));
  if (def.type !== 'object' || def.shape === undefined) return [];
  const shape = def.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  return Object.entries(input as Record<string, unknown>).flatMap(([key, value]) => {
    const child = shape[key];
    if (child === undefined) return stripsUnknownKeys(schema) ? [{ path, key, known }] : [];
    return droppedKeys(child, value, [...path, key]);
  });
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else break;
  }
  return s;
}

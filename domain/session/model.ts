import { z } from 'zod';

/**
 * The native session model every importer produces (DESIGN §2).
 * Times are milliseconds since the session's `startedAt` unless stated otherwise.
 */

export const BoundingBox = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

/** What an event acted on, with whatever the recorder knew about it. */
export const Target = z.object({
  selector: z.string().optional(),
  tag: z.string().optional(),
  id: z.string().optional(),
  classes: z.array(z.string()).optional(),
  role: z.string().optional(),
  /** Accessible name (aria-label, label text, button text). */
  name: z.string().optional(),
  text: z.string().optional(),
  /** For form fields: the field's name attribute or label. */
  field: z.string().optional(),
  inputType: z.string().optional(),
  bbox: BoundingBox.optional(),
});
export type Target = z.infer<typeof Target>;

export const MouseButton = z.enum(['left', 'right', 'middle', 'back', 'forward']);
export type MouseButton = z.infer<typeof MouseButton>;
/** What pressed: absent means a mouse (or the recorder did not say). */
export const PointerType = z.enum(['mouse', 'touch', 'pen']);
export type PointerType = z.infer<typeof PointerType>;

const base = {
  /** Stable id for lineage; importers use `<file>:<line>` or the source's own event id. */
  id: z.string().optional(),
  t: z.number().nonnegative(),
  target: Target.optional(),
  /** Page URL when the event happened (web recordings). */
  url: z.string().optional(),
};

const point = { x: z.number(), y: z.number() };
const pointer = { pointer: PointerType.optional() };
/** True when the recorder knows a page script, not the person, made this change (rrweb `userTriggered: false`). */
const scripted = { scripted: z.boolean().optional() };

export const InputEvent = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('mousemove'), ...point }),
  z.object({ ...base, type: z.literal('mousedown'), ...point, button: MouseButton.default('left'), ...pointer }),
  z.object({ ...base, type: z.literal('mouseup'), ...point, button: MouseButton.default('left'), ...pointer }),
  /** Already-reduced pointer actions from recorders that only report those. */
  z.object({
    ...base,
    type: z.literal('click'),
    x: z.number().optional(),
    y: z.number().optional(),
    button: MouseButton.default('left'),
    count: z.number().int().min(1).default(1),
    ...pointer,
  }),
  z.object({ ...base, type: z.literal('wheel'), x: z.number().optional(), y: z.number().optional(), dx: z.number().default(0), dy: z.number().default(0) }),
  z.object({ ...base, type: z.literal('keydown'), key: z.string(), code: z.string().optional() }),
  z.object({ ...base, type: z.literal('keyup'), key: z.string(), code: z.string().optional() }),
  /** A field's whole value after an edit (rrweb, recorder `change`/`fill`). */
  z.object({ ...base, type: z.literal('input'), value: z.string(), ...scripted }),
  z.object({ ...base, type: z.literal('select'), value: z.string(), ...scripted }),
  /** A checkbox or radio's state after a change; `value` is its value attribute when known. */
  z.object({ ...base, type: z.literal('check'), checked: z.boolean(), value: z.string().optional(), ...scripted }),
  z.object({ ...base, type: z.literal('navigate'), url: z.string() }),
  z.object({ ...base, type: z.literal('submit') }),
]);
export type InputEvent = z.infer<typeof InputEvent>;
export type InputEventType = InputEvent['type'];

/** A ground-truth action: what the person did, for scoring classifications. */
export const Label = z.object({
  action: z.string(),
  parameters: z.record(z.string(), z.unknown()).default({}),
  /** Optional bounds in event time (ms) the action spans. */
  t0: z.number().optional(),
  t1: z.number().optional(),
});
export type Label = z.infer<typeof Label>;

export const SessionMeta = z.object({
  id: z.string().min(1),
  suite: z.string().min(1),
  app: z.string().optional(),
  /** The task the person was doing; it becomes the user turn. */
  description: z.string().optional(),
  recorder: z.string().optional(),
  /** ISO-8601 time of t = 0. */
  startedAt: z.string(),
  viewport: z.object({ width: z.number().positive(), height: z.number().positive() }).optional(),
  labels: z.array(Label).optional(),
});
export type SessionMeta = z.infer<typeof SessionMeta>;

/** A screenshot on disk, relative to the session folder, taken at time t. */
export interface ScreenshotRef {
  t: number;
  path: string;
}

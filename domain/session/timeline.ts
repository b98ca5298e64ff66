import type { MouseButton, Target } from './model.ts';

/** The normalized timeline (DESIGN §3): numbered steps a classifier reads. */
export type StepKind = 'click' | 'double_click' | 'right_click' | 'drag' | 'scroll' | 'type' | 'hotkey' | 'select' | 'check' | 'navigate' | 'submit';

/** A network request attached to the step it follows, credentials already redacted. */
export interface NetworkRequest {
  id: string;
  t: number;
  method: string;
  url: string;
  status?: number;
  requestHeaders?: Record<string, string>;
  /** Request body: parsed JSON when it parses, else text. */
  requestBody?: unknown;
  responseBody?: unknown;
  mimeType?: string;
}

/** A screenshot chosen for a step, stored in the artifact store. */
export interface Keyframe {
  /** Artifact hash of the encoded image. */
  artifact: string;
  mediaType: string;
  t: number;
  width: number;
  height: number;
}

export interface Step {
  /** 1-based, in time order. */
  id: number;
  kind: StepKind;
  t0: number;
  t1: number;
  target?: Target;
  /** Typed text (type), option value (select), the input's value (check, when known), URL (navigate). */
  text?: string;
  /** For pointer steps (click, double_click, right_click, drag, a clicked check): the button pressed. */
  button?: MouseButton;
  /** Set only when the pointer was not a mouse (a tap is `pointer: 'touch'`). */
  pointer?: 'touch' | 'pen';
  /** For check steps: the state after the change. */
  checked?: boolean;
  /** For hotkeys: modifiers in the order Control, Alt, Shift, Meta, then one key (letters lower-case): ['Control', 'Alt', 't']. */
  keys?: string[];
  x?: number;
  y?: number;
  xNorm?: number;
  yNorm?: number;
  /** Drag path, resampled, and scroll amounts. */
  path?: { x: number; y: number }[];
  dx?: number;
  dy?: number;
  url?: string;
  network: NetworkRequest[];
  keyframe?: Keyframe;
  /** Ids of the raw input events this step came from. */
  sourceEvents: string[];
}

export interface Timeline {
  sessionId: string;
  suite: string;
  app?: string;
  description?: string;
  viewport?: { width: number; height: number };
  labels?: { action: string; parameters: Record<string, unknown>; t0?: number; t1?: number }[];
  steps: Step[];
  /** Requests that happened before the first step. */
  preamble: NetworkRequest[];
}

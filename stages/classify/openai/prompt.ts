import Handlebars from 'handlebars';
import { configError } from '../../../engine/errors.ts';
import { hashJson } from '../../../engine/hash.ts';
import type { Step, Timeline } from '../../../domain/session/timeline.ts';
import type { Suite } from '../../../domain/suite/index.ts';

/** The main template (the system message) and the partials by name (`partials/step.hbs` → `step`). */
export interface PromptTexts {
  templatePath: string;
  template: string;
  partials: Record<string, string>;
}

export interface StepView {
  id: number;
  kind: string;
  target?: Record<string, string>;
  text?: string;
  keys?: string[];
  url?: string;
  keyframe: boolean;
  network: { method: string; url: string; status?: number; body?: string }[];
}

export interface ChunkView {
  session: { id: string; description?: string };
  chunk: { index: number; count: number; first: number; last: number; multiple: boolean };
  steps: StepView[];
}

/**
 * Trace text as data: JSON-encoded, with backticks and angle brackets escaped as
 * \u sequences so typed text can never close the ```trace-data fence or pass for markup.
 */
export function encodeData(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[`<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Renders the classify prompt. The system message (the main template) sees only
 * the Suite, never trace text, so nothing a person typed can change it; each
 * chunk's user message comes from the `timeline` partial.
 */
export function createPromptRenderer(texts: PromptTexts): PromptRenderer {
  const key = hashJson(texts);
  let renderer = renderers.get(key);
  if (!renderer) {
    renderer = compileRenderer(texts);
    renderers.set(key, renderer);
  }
  return renderer;
}

export interface PromptRenderer {
  system(suite: Suite): string;
  user(view: ChunkView): string;
}

/** Compiled templates by their text: the stage runs once per session, the templates rarely change. */
const renderers = new Map<string, PromptRenderer>();

/** The helpers classify templates may call besides Handlebars' built-ins (the prompt check lists the same). */
export function promptHelpers(hb: typeof Handlebars): Record<string, Handlebars.HelperDelegate> {
  return { json: (v: unknown) => new hb.SafeString(encodeData(v)) };
}

function compileRenderer(texts: PromptTexts): PromptRenderer {
  const hb = Handlebars.create();
  hb.registerHelper(promptHelpers(hb));
  for (const [name, text] of Object.entries(texts.partials)) hb.registerPartial(name, text);
  if (!texts.partials.timeline) {
    throw configError(`the classify prompt needs a partial "timeline" (partials/timeline.hbs next to ${texts.templatePath})`);
  }
  const compileOpts = { noEscape: false, strict: false, preventIndent: true };
  const system = compileWithLocation(hb, texts.template, texts.templatePath, compileOpts);
  const user = hb.compile('{{> timeline}}', compileOpts);
  const systems = new WeakMap<Suite, string>();
  return {
    system(suite: Suite): string {
      const cached = systems.get(suite);
      if (cached !== undefined) return cached;
      const actions = suite.actionNames.map((name) => ({ name, description: suite.actions[name]!.description, parameters: suite.actions[name]!.parameters }));
      const text = system({ suite: { id: suite.id, description: suite.description, actions } });
      systems.set(suite, text);
      return text;
    },
    user(view: ChunkView): string {
      return user(view);
    },
  };
}

function compileWithLocation(hb: typeof Handlebars, text: string, path: string, opts: CompileOptions) {
  try {
    const fn = hb.compile(text, opts);
    fn({}); // surfaces syntax errors now, with the file named
    return fn;
  } catch (err) {
    throw configError(`cannot compile prompt template ${path}: ${(err as Error).message}`);
  }
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

export function chunkView(timeline: Timeline, steps: Step[], index: number, count: number, opts: { includeNetwork: boolean; maxBodyChars: number }): ChunkView {
  return {
    session: { id: timeline.sessionId, ...(timeline.description ? { description: timeline.description } : {}) },
    chunk: { index: index + 1, count, first: steps[0]?.id ?? 0, last: steps.at(-1)?.id ?? 0, multiple: count > 1 },
    steps: steps.map((s) => stepView(s, opts)),
  };
}

function stepView(s: Step, opts: { includeNetwork: boolean; maxBodyChars: number }): StepView {
  const target: Record<string, string> = {};
  for (const key of ['role', 'name', 'field', 'text', 'tag', 'id', 'inputType'] as const) {
    const v = s.target?.[key];
    if (typeof v === 'string' && v !== '') target[key] = v.length > 200 ? `${v.slice(0, 200)}…` : v;
  }
  return {
    id: s.id,
    kind: s.kind,
    ...(Object.keys(target).length ? { target } : {}),
    ...(s.text !== undefined ? { text: s.text } : {}),
    ...(s.keys?.length ? { keys: s.keys } : {}),
    ...(s.url !== undefined ? { url: s.url } : {}),
    keyframe: s.keyframe !== undefined,
    network: opts.includeNetwork
      ? s.network.map((r) => ({
          method: r.method,
          url: r.url,
          ...(r.status !== undefined ? { status: r.status } : {}),
          ...(r.requestBody !== undefined
            ? { body: truncate(typeof r.requestBody === 'string' ? r.requestBody : JSON.stringify(r.requestBody), opts.maxBodyChars) }
            : {}),
        }))
      : [],
  };
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

import { z } from 'zod';

/**
 * The evidence-rule language of a Suite: small and declarative. A rule names ONE
 * trigger (a network request, a click, or typed text) and says how to read the
 * action's parameters from what it matched.
 *
 *   - request: {method: POST, url: "**\/api/messages/send"}
 *     parameters: {to: request.body.to, subject: request.body.subject}
 *     confidence: 0.95
 *   - request: {method: GET, url: "**\/api/messages/:id"}
 *     parameters: {message_id: request.params.id}
 *     unlessFollowedBy: {request: {url: "**\/api/messages/:id/*"}, sameParam: id}
 *     unlessPrecededBy: {request: {url: "**\/api/messages/:id/*"}, sameParam: id}
 *   - click: {role: button, name: /^send$/i}
 *     parameters: {to: {from: typed.to, split: ","}, subject: typed.subject}
 *   - type: {field: search}
 *     parameters: {query: step.text}
 *
 * Text matchers are an exact, case-insensitive string, or `/regex/flags`.
 * URL patterns are globs over the URL path (`*` one segment, `**` any number)
 * where `:name` captures a segment into `request.params.name`.
 */

export const TextMatcher = z.string().min(1);

/** How a query parameter must look: `nonEmpty`, `empty`, `absent`, `present`, or an exact value. */
export const QueryMatcher = z.string();

export const RequestTrigger = z.strictObject({
  method: z.string().min(1).optional(),
  url: z.string().min(1),
  query: z.record(z.string(), QueryMatcher).optional(),
  /** Only requests that succeeded (status < 400, or no status recorded). Default true. */
  ok: z.boolean().optional(),
});
export type RequestTrigger = z.infer<typeof RequestTrigger>;

export const ClickTrigger = z.strictObject({
  role: TextMatcher.optional(),
  name: TextMatcher.optional(),
  text: TextMatcher.optional(),
  selector: TextMatcher.optional(),
  id: TextMatcher.optional(),
});
export type ClickTrigger = z.infer<typeof ClickTrigger>;

export const TypeTrigger = z.strictObject({
  field: TextMatcher.optional(),
  role: TextMatcher.optional(),
  name: TextMatcher.optional(),
  /** The typed run must be followed (next step) by Enter or a submit. */
  submitted: z.boolean().optional(),
});
export type TypeTrigger = z.infer<typeof TypeTrigger>;

/**
 * Where a parameter value comes from: a dotted path (`request.body.to`,
 * `request.params.id`, `request.query.q`, `step.text`, `step.target.name`,
 * `typed.<field>` = the last text typed into that field since the previous
 * action), or an object with light transforms.
 */
export const ParameterSource = z.union([
  z.string().min(1),
  z.strictObject({
    from: z.string().min(1).optional(),
    /** A constant (e.g. remove_labels: ["INBOX"] for an archive button). */
    value: z.unknown().optional(),
    /** Used when the path yields nothing. */
    default: z.unknown().optional(),
    /** Split a string into a trimmed, non-empty list on this separator. */
    split: z.string().optional(),
    /** Rename values, e.g. {archive: INBOX}; applies to each element of a list. */
    map: z.record(z.string(), z.unknown()).optional(),
  }),
]);
export type ParameterSource = z.infer<typeof ParameterSource>;

const FollowUp = z.strictObject({ request: RequestTrigger, sameParam: z.string().optional() });

const ruleCommon = {
  parameters: z.record(z.string(), ParameterSource).default({}),
  confidence: z.number().min(0).max(1).default(0.8),
  /** Drop the match when a later request matches this pattern (optionally with an equal captured param). */
  unlessFollowedBy: z
    .union([FollowUp, z.array(FollowUp)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  /** Drop the match when an earlier request matches this pattern (e.g. the app re-fetching a message it just changed). */
  unlessPrecededBy: z
    .union([FollowUp, z.array(FollowUp)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  /**
   * A match whose parameters equal an earlier match of the same rule is the same
   * action seen again (a list refresh re-running a search), not a new one.
   */
  distinct: z.boolean().default(false),
};

export const EvidenceRule = z.union([
  z.strictObject({ request: RequestTrigger, ...ruleCommon }),
  z.strictObject({ click: ClickTrigger, ...ruleCommon }),
  z.strictObject({ type: TypeTrigger, ...ruleCommon }),
]);
export type EvidenceRule = z.infer<typeof EvidenceRule>;

import Handlebars from 'handlebars';

/** A private Handlebars instance for argument templates: no HTML escaping, a `join` helper. */
const hbs = Handlebars.create();
/** `{{join list "; "}}`: an array joined by the separator (default `, `); anything else as is. */
export const joinHelper = (value: unknown, sep: unknown): unknown => (Array.isArray(value) ? value.join(typeof sep === 'string' ? sep : ', ') : (value ?? ''));
hbs.registerHelper('join', joinHelper);
const BUILTIN_HELPERS = new Set(['join', 'if', 'unless', 'each', 'with', 'lookup', 'log', 'else', 'this']);

const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderArgumentTemplate(template: string, parameters: Record<string, unknown>): string {
  let fn = compiled.get(template);
  if (fn === undefined) {
    fn = hbs.compile(template, { noEscape: true });
    compiled.set(template, fn);
  }
  return fn(parameters);
}

/** Names of the parameters a template refers to (helpers excluded). Throws on a syntax error. */
export function templateParameters(template: string): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n['type'] === 'PathExpression' && Array.isArray(n['parts'])) {
      const head = n['parts'][0];
      if (typeof head === 'string' && !BUILTIN_HELPERS.has(head) && n['data'] !== true) found.add(head);
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'loc') walk(v);
  };
  walk(hbs.parse(template));
  return [...found].sort();
}

import type { Target } from '../session/model.ts';

/**
 * What a Playwright selector says about its element: `internal:role=button[name="Submit"i]`,
 * `internal:label="Email"i`, `internal:text="Next"s`, `internal:testid=[data-testid="x"s]`, CSS.
 * `resolved` is the element from the action log (`locator resolved to <button>Submit</button>`).
 */
export function targetFromPlaywright(selector: string | undefined, resolved: string | undefined): Target | undefined {
  const target: Target = {};
  if (selector !== undefined && selector !== '') {
    target.selector = selector;
    const last = selector.split(' >> ').pop() ?? selector;
    const role = /^internal:role=([\w-]+)/.exec(last);
    if (role?.[1] !== undefined) {
      target.role = role[1];
      const name = /\[name=(?:"((?:[^"\\]|\\.)*)"|([^\]]+))[is]?\]/.exec(last);
      const n = name?.[1] ?? name?.[2];
      if (n !== undefined) target.name = unescape(n);
    }
    const label = /^internal:(?:label=|attr=\[(?:placeholder|alt|title)=)"((?:[^"\\]|\\.)*)"/.exec(last);
    if (label?.[1] !== undefined && !last.startsWith('internal:role')) target.name ??= unescape(label[1]);
    const text = /^(?:internal:)?text="((?:[^"\\]|\\.)*)"/.exec(last) ?? /^text=([^"].*)$/.exec(last);
    if (text?.[1] !== undefined) target.text = unescape(text[1]);
    const css = /^#([A-Za-z][\w-]*)$/.exec(last);
    if (css?.[1] !== undefined) target.id = css[1];
  }
  if (resolved !== undefined) {
    const el = /^<([a-zA-Z][\w-]*)([^>]*)>([^<]*)/.exec(resolved);
    if (el?.[1] !== undefined) {
      target.tag = el[1].toLowerCase();
      const attrs = el[2] ?? '';
      const attr = (k: string) => new RegExp(`\\b${k}="([^"]*)"`).exec(attrs)?.[1];
      const id = attr('id');
      if (id !== undefined) target.id ??= id;
      const cls = attr('class');
      if (cls !== undefined && cls.trim() !== '') target.classes = cls.trim().split(/\s+/);
      const type = attr('type');
      if (target.tag === 'input') target.inputType = type ?? 'text';
      const field = attr('name');
      if (field !== undefined) target.field = field;
      const ariaRole = attr('role');
      if (ariaRole !== undefined) target.role ??= ariaRole;
      const inner = (el[3] ?? '').trim();
      if (inner !== '' && !inner.endsWith('…')) target.text ??= inner;
      const named =
        attr('aria-label') ?? attr('placeholder') ?? (target.tag === 'button' || target.tag === 'a' || target.role !== undefined ? target.text : undefined);
      if (named !== undefined) target.name ??= named;
    }
  }
  return Object.keys(target).length === 0 ? undefined : target;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

import Handlebars from 'handlebars';

/** One problem in a Handlebars template, at a 1-based line and column of its source. */
export interface TemplateProblem {
  line: number;
  column: number;
  message: string;
}

export interface KnownNames {
  /** Helpers the template's Handlebars instance has (built-ins included). */
  helpers: readonly string[];
  /** Partials it can include; undefined when the template is rendered without partials checked. */
  partials?: readonly string[];
}

/**
 * What would make a template fail when it renders, found without rendering it: a
 * syntax error (an unclosed or mismatched block, a broken mustache), a helper call
 * to a helper the instance does not have, an include of a partial that does not
 * exist. Handlebars only finds the last two when the branch that holds them runs,
 * so a template could pass a test render and fail every item of a run.
 */
export function templateProblems(source: string, known: KnownNames): TemplateProblem[] {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (err) {
    return [syntaxProblem(source, err as Error & { lineNumber?: number; column?: number })];
  }
  const helpers = new Set(known.helpers);
  const partials = known.partials === undefined ? undefined : new Set([...known.partials, ...inlinePartials(ast)]);
  const problems: TemplateProblem[] = [];
  const at = (node: hbs.AST.Node) => ({ line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 });
  walk(ast, (node) => {
    if (node.type === 'MustacheStatement' || node.type === 'BlockStatement' || node.type === 'SubExpression') {
      const n = node as hbs.AST.MustacheStatement;
      const isCall = node.type === 'SubExpression' || n.params.length > 0 || (n.hash?.pairs.length ?? 0) > 0;
      const name = n.path.type === 'PathExpression' ? (n.path as hbs.AST.PathExpression) : undefined;
      if (isCall && name !== undefined && !name.data && !helpers.has(name.original)) {
        problems.push({
          ...at(node),
          message: `unknown helper "${name.original}" (known: ${[...helpers]
            .filter((h) => !h.endsWith('Missing'))
            .sort()
            .join(', ')})`,
        });
      }
    }
    if (node.type === 'PartialStatement' && partials !== undefined) {
      const name = (node as hbs.AST.PartialStatement).name;
      if (name.type === 'PathExpression' && !partials.has((name as hbs.AST.PathExpression).original)) {
        const original = (name as hbs.AST.PathExpression).original;
        problems.push({ ...at(node), message: `unknown partial "${original}" (known: ${[...partials].sort().join(', ') || 'none'})` });
      }
    }
  });
  return problems;
}

function syntaxProblem(source: string, err: Error & { lineNumber?: number; column?: number }): TemplateProblem {
  if (err.lineNumber !== undefined) {
    return { line: err.lineNumber, column: (err.column ?? 0) + 1, message: err.message.replace(/ - \d+:\d+$/, '') };
  }
  const line = Number(/line (\d+)/.exec(err.message)?.[1] ?? 1);
  if (/got 'EOF'/.test(err.message)) {
    const open = unclosedBlock(source);
    if (open !== undefined) return { line: open.line, column: open.column, message: `the block {{#${open.name}}} is never closed (no {{/${open.name}}})` };
  }
  const expected = err.message.split('\n').at(-1) ?? err.message;
  return { line, column: 1, message: `syntax error: ${expected}` };
}

/** The innermost block still open at the end of the source, by a scan of its tags (comments and raw text skipped). */
function unclosedBlock(source: string): { name: string; line: number; column: number } | undefined {
  const stack: { name: string; offset: number }[] = [];
  const tag = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\{\{~?\s*([#^/])\s*[>*]?\s*([^\s}~]+)/g;
  for (let m = tag.exec(source); m !== null; m = tag.exec(source)) {
    const [, sigil, name] = m;
    if (sigil === undefined || name === undefined) continue;
    if (sigil === '/') stack.pop();
    else stack.push({ name, offset: m.index });
  }
  const last = stack.at(-1);
  if (last === undefined) return undefined;
  const before = source.slice(0, last.offset);
  const line = before.split('\n').length;
  return { name: last.name, line, column: last.offset - before.lastIndexOf('\n') };
}

/** Partials the template defines itself with {{#*inline "name"}}. */
function inlinePartials(ast: hbs.AST.Program): string[] {
  const names: string[] = [];
  walk(ast, (node) => {
    if (node.type !== 'DecoratorBlock') return;
    const d = node as hbs.AST.DecoratorBlock;
    const first = d.params[0];
    if ((d.path as hbs.AST.PathExpression).original === 'inline' && first?.type === 'StringLiteral') names.push((first as hbs.AST.StringLiteral).value);
  });
  return names;
}

function walk(node: unknown, visit: (node: hbs.AST.Node) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
  if (node === null || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (typeof n['type'] === 'string') visit(node as hbs.AST.Node);
  for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'strip') walk(v, visit);
}

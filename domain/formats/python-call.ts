/** A parsed `module.fn(arg, key=value)` call from an agent action string (pyautogui, computer). */
export interface PythonCall {
  module: string;
  fn: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/**
 * Parses one line like `pyautogui.click(x=0.3271, y=0.2694)` or `pyautogui.hotkey('ctrl', 'c')`.
 * Supports the Python literals agent datasets use: numbers, quoted strings, True/False/None, lists
 * and tuples. Returns undefined for anything else.
 */
export function parsePythonCall(line: string): PythonCall | undefined {
  const m = /^\s*([A-Za-z_][\w]*)\.([A-Za-z_]\w*)\((.*)\)\s*;?\s*$/s.exec(line);
  if (m === null) return undefined;
  const src = m[3] ?? '';
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const value = (): unknown => {
    ws();
    const c = src[i];
    if (c === "'" || c === '"') {
      const quote = c;
      let out = '';
      i++;
      while (i < src.length && src[i] !== quote) {
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1]!;
          out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else out += src[i++];
      }
      if (src[i] !== quote) throw new Error('unterminated string');
      i++;
      return out;
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const items: unknown[] = [];
      ws();
      while (src[i] !== close) {
        items.push(value());
        ws();
        if (src[i] === ',') i++;
        ws();
        if (i >= src.length) throw new Error('unterminated list');
      }
      i++;
      return items;
    }
    const tok = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|True|False|None)/.exec(src.slice(i));
    if (tok === null) throw new Error(`unexpected ${src.slice(i, i + 10)}`);
    i += tok[0].length;
    return tok[0] === 'True' ? true : tok[0] === 'False' ? false : tok[0] === 'None' ? null : Number(tok[0]);
  };
  const args: unknown[] = [];
  const kwargs: Record<string, unknown> = {};
  try {
    ws();
    while (i < src.length) {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(src.slice(i));
      if (kw !== null) {
        i += kw[0].length;
        kwargs[kw[1]!] = value();
      } else args.push(value());
      ws();
      if (src[i] === ',') i++;
      ws();
    }
  } catch {
    return undefined;
  }
  return { module: m[1]!, fn: m[2]!, args, kwargs };
}

import type { YAMLError } from 'yaml';
import { lowerFirst } from './describe-value.ts';

/** yaml's own wording, made into something a person editing a pipeline can act on. */
export function friendlyYamlError(err: YAMLError): { message: string; hint?: string } {
  const text = err.message.split('\n')[0]?.replace(/\s+at line \d+, column \d+:?$/, '') ?? err.message;
  if (/call stack/i.test(text))
    return { message: 'the file is nested too deeply to read', hint: 'A pipeline never needs this; is the file generated or corrupted?' };
  switch (err.code) {
    case 'TAB_AS_INDENT':
      return { message: 'tab character used for indentation', hint: 'YAML indents with spaces only; replace the tabs with spaces.' };
    case 'MULTIPLE_DOCS':
      return { message: 'more than one YAML document in the file', hint: 'A pipeline is one document; remove the second `---`.' };
    case 'BAD_INDENT': {
      const bracket = /end with an? ([\]}])/.exec(text)?.[1];
      if (bracket !== undefined) {
        const open = bracket === ']' ? '[' : '{';
        return { message: `"${open}" is never closed with "${bracket}"`, hint: `Close it, or indent the lines it continues on further than its key.` };
      }
      return { message: `bad indentation: ${lowerFirst(text)}`, hint: 'Keys of one mapping must line up in the same column.' };
    }
    case 'DUPLICATE_KEY':
      return { message: lowerFirst(text) };
    case 'BLOCK_AS_IMPLICIT_KEY':
      return {
        message: 'a `key: value` cannot start inside another value',
        hint: 'Quote the value if it contains ": ", or check the indentation of the next line.',
      };
    case 'MULTILINE_IMPLICIT_KEY':
      return { message: 'a key must fit on one line', hint: 'Is the next line indented further than this one, or a `:` missing?' };
    case 'MISSING_CHAR':
      return { message: `YAML syntax error: ${lowerFirst(text)}`, hint: 'A quote or bracket is probably not closed.' };
    default:
      return { message: `YAML syntax error: ${lowerFirst(text)}` };
  }
}

import { join } from 'node:path';
import { inputError } from '../../engine/errors.ts';
import { didYouMean } from '../../engine/config/did-you-mean.ts';
import { chromeRecorder } from './chrome-recorder.ts';
import { clones } from './clones.ts';
import { extension } from './extension.ts';
import type { ConvertOptions, SessionFormat } from './format.ts';
import { har } from './har.ts';
import { native } from './native.ts';
import { opencua } from './opencua.ts';
import { opencuaBench } from './opencua-bench.ts';
import { playwright } from './playwright.ts';
import { isDirectory, listDir } from './read-input.ts';
import { rrweb } from './rrweb.ts';

export type { ConvertOptions, SessionFormat } from './format.ts';

/** Every supported input format, keyed by the name `format:` takes. Detection tries them in this order. */
export const formats = {
  native,
  extension,
  playwright,
  har,
  rrweb,
  chromeRecorder,
  clones,
  opencua,
  opencuaBench,
} as const satisfies Record<string, SessionFormat>;

export type FormatName = keyof typeof formats;

/** What `format:` takes: 'auto' (detect) or an importer's name; derived from `formats`, so the schema and did-you-mean follow it. */
export const FORMAT_CHOICES = ['auto', ...(Object.keys(formats) as FormatName[])] as const;

const isFormatName = (name: string): name is FormatName => Object.hasOwn(formats, name);

/** The name of the format `path` is in; TP_INPUT listing the formats when none matches. */
export async function detectFormat(path: string): Promise<FormatName> {
  const name = await firstMatch(path);
  if (name !== undefined) return name;
  throw inputError(`${path}: not a recording in any supported format (${Object.keys(formats).join(', ')})`, {
    location: { file: path },
    hint: 'Point at a session folder, a trace.zip, a .har or a .json recording, or force one with format: <name>.',
  });
}

/** The first format whose detect accepts `path`, or undefined. */
async function firstMatch(path: string): Promise<FormatName | undefined> {
  for (const name of Object.keys(formats) as FormatName[]) {
    if (await formats[name].detect(path)) return name;
  }
  return undefined;
}

/**
 * Converts the recording(s) at `path` into native sessions under `outDir`; returns the session
 * ids. A folder that is not itself a recording is read as a folder of recordings (each child
 * detected on its own, e.g. a folder of trace.zip files or of Clones recordings).
 */
export async function importPath(path: string, outDir: string, opts: ConvertOptions & { format?: string } = {}): Promise<string[]> {
  const convertOpts = opts.suite === undefined ? {} : { suite: opts.suite };
  if (opts.format !== undefined) {
    if (!isFormatName(opts.format)) {
      throw inputError(`unknown session format "${opts.format}"${didYouMean(opts.format, Object.keys(formats))} (known: ${Object.keys(formats).join(', ')})`, {
        location: { file: path, field: 'format' },
      });
    }
    return formats[opts.format].convert(path, outDir, convertOpts);
  }
  const name = await firstMatch(path);
  if (name !== undefined) return formats[name].convert(path, outDir, convertOpts);
  if (await isDirectory(path)) {
    const ids: string[] = [];
    for (const child of (await listDir(path)).filter((c) => !c.startsWith('.'))) {
      const childPath = join(path, child);
      const childFormat = await firstMatch(childPath);
      if (childFormat !== undefined) ids.push(...(await formats[childFormat].convert(childPath, outDir, convertOpts)));
    }
    if (ids.length > 0) return ids;
  }
  return formats[await detectFormat(path)].convert(path, outDir, convertOpts);
}

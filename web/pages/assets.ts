import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { sha256 } from '../../engine/hash.ts';
import { packagePath } from '../../engine/package-root.ts';

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export interface Asset {
  body: string;
  type: string;
}

/** The pages' scripts and stylesheet, read once; `version` changes when any of them does (cache busting). */
export function loadAssets(dir = packagePath('web', 'pages', 'assets')): { files: Map<string, Asset>; version: string } {
  const files = new Map<string, Asset>();
  for (const name of readdirSync(dir).sort()) {
    const type = TYPES[extname(name)];
    if (type !== undefined) files.set(name, { body: readFileSync(join(dir, name), 'utf8'), type });
  }
  const version = sha256([...files].map(([n, a]) => `${n}\u0000${a.body}`).join('\u0000')).slice(0, 12);
  return { files, version };
}

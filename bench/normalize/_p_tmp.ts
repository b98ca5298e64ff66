import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readEventBatches } from '../../stages/session/read.ts';
import { StepReducer, NormalizeOptions } from '../../stages/normalize/index.ts';
const root = process.argv[2]!;
const dirs = readdirSync(root).filter((d) => d.startsWith('s')).map((d) => join(root, d));
const o = NormalizeOptions.parse({});
for (let r = 0; r < 10; r++) for (const d of dirs) { const red = new StepReducer(o); for await (const b of readEventBatches(d)) for (const e of b) red.push(e); red.finish(); }

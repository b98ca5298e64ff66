export type * from './types.ts';
export { SqliteStore } from './sqlite.ts';
export { MemoryStore } from './memory.ts';

export * from './example.ts';
export { exampleIdFor, toolCallIdFor } from './ids.ts';

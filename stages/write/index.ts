export { writeExamplesStage, WriteOptions, exampleDir } from './stage.ts';
export { writeFileAtomic, jsonLines } from './atomic.ts';
export { readWrittenExamples } from './read.ts';

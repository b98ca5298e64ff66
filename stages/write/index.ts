export { writeExamplesStage, WriteOptions, exampleDir } from './stage.ts';
export { writeFileAtomic, tempPathFor, jsonLines } from './atomic.ts';
export { readWrittenExamples } from './read.ts';

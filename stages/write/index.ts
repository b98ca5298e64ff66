export { writeExamplesStage, WriteOptions, exampleDir } from './stage.ts';
export { writeFileAtomic, tempPathFor, jsonLines } from '../../engine/atomic-write.ts';
export { readWrittenExamples } from './read.ts';

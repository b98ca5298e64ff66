export { loadStage, LoadOptions, type LoadedSession } from './stage.ts';

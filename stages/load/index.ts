export { IMPORTS_DIR, loadStage, LoadOptions, openLoaded, type LoadedSession, type OpenedSession, type SessionSource } from './stage.ts';

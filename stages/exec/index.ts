export { execStage, ExecOptions, type ExecInput } from './stage.ts';

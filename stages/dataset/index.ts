export { validateExample, formatIssues, type ValidationIssue, type ValidateOptions } from '../../domain/example/validate.ts';
export { renderChatTemplate, renderedToolCalls, chatTemplateSource } from '../../domain/example/chat-template.ts';
export { splitOf, type Split } from './split.ts';
export { datasetStage, DatasetOptions, DATASET_FILES, type DatasetManifest, type DatasetResult } from './stage.ts';

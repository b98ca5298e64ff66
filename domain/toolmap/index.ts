export { ActionToolMap, ArgumentMapping, ToolMapping, parseActionToolMap } from './schema.ts';
export { applyToolMap, type MappedToolCall } from './apply.ts';
export { toolsFor, toolFor, type ToolDefinition } from './tools.ts';
export { checkToolMap, type ToolMapIssue } from './check.ts';
export { joinHelper, renderArgumentTemplate, templateParameters } from './template.ts';
export type { JsonSchema, SuiteActions } from './suite-shape.ts';

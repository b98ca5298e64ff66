export { synthesizeStage, DEFAULT_REVIEW_THRESHOLD } from './stage.ts';
export { SynthesizeOptions } from './options.ts';
export { exampleIdFor, toolCallIdFor } from '../../domain/example/ids.ts';
export {
  toolCallParts,
  toolCallsOf,
  type Example,
  type ExampleStatus,
  type ExampleSpan,
  type ExampleProvenance,
  type ToolCallProvenance,
  type ChatMessage,
  type ToolCall,
  type OpenAIToolCall,
  type FlatToolCall,
  type ToolCallShape,
  type DatasetLine,
  type ReviewMark,
} from '../../domain/example/example.ts';

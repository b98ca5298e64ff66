/** The normalize stage: raw session events → a Timeline of steps with network and keyframes. */
export { normalizeStage, normalizeSession } from './stage.ts';
export { NormalizeOptions } from './options.ts';
export { StepReducer, type DraftStep, type ReduceOptions } from './reduce.ts';
export { attachNetwork, loadNetwork } from './network.ts';
export { attachKeyframes, SettledFramePicker, encodeFrame, type Candidate, type FrameSource } from './keyframes.ts';
export { signature, regionDiff, SIGNATURE_WIDTH, SIGNATURE_HEIGHT, type Signature } from './thumbs.ts';
export { findFfmpeg, scanVideo, grabFrames, type FrameWindow, type DecodeStats } from './ffmpeg.ts';
export { sessionFrames, screenshotFrames, videoFrames, frameWindows } from './frames.ts';
export { formatTimelineTable, inspectJson, keyframeFileName, writeStepKeyframes } from './inspect.ts';

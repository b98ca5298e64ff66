/** The normalize stage: raw session events → a Timeline of steps with network and keyframes. */
export { normalizeStage, normalizeSession } from './stage.ts';
export { NormalizeOptions } from './options.ts';
export { StepReducer, type DraftStep, type ReduceOptions } from './reduce.ts';
export { attachNetwork, loadNetwork } from './network.ts';
export { attachKeyframes, chooseFrames, encodeFrame, type Frame } from './keyframes.ts';
export { thumbnail, thumbDiff } from './thumbs.ts';
export { findFfmpeg, extractFrames, type FrameWindow } from './ffmpeg.ts';
export { sessionFrames, frameWindows } from './frames.ts';
export { formatTimelineTable } from './inspect.ts';

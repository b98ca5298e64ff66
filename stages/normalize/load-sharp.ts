import type sharpModule from 'sharp';

let loading: Promise<typeof sharpModule> | undefined;

/**
 * sharp, imported on the first image a stage processes: loading its native library costs
 * more than the rest of a cached run, and a run whose sessions are all cached needs no image.
 */
export function loadSharp(): Promise<typeof sharpModule> {
  return (loading ??= import('sharp').then((m) => m.default));
}

import { z } from 'zod';

/** Options of the normalize stage (`with:` in the pipeline). Every field has a default. */
export const NormalizeOptions = z.object({
  /** A press and release closer than this many pixels is a click, else a drag. */
  clickDistancePx: z.number().nonnegative().default(5),
  /** A press held longer than this is a drag (or a long press) even when the pointer stayed put. */
  clickMaxMs: z.number().nonnegative().default(500),
  /** Two clicks at one spot with at most this gap (first release to second press) are a double click. */
  doubleClickMs: z.number().nonnegative().default(500),
  /** A longer gap between keystrokes ends a typing run. */
  typingPauseMs: z.number().nonnegative().default(1000),
  /** A longer gap between wheel events starts a new scroll step. */
  scrollPauseMs: z.number().nonnegative().default(1000),
  /** Points a drag path is resampled to (at most). */
  dragPathPoints: z.number().int().min(2).default(16),
  /** Hotkeys to drop, e.g. the recorder's own stop hotkey: "Meta+Shift+S" (case-insensitive, any order). */
  stopHotkeys: z.array(z.string().min(1)).default([]),
  network: z
    .object({
      /** URL globs to keep (picomatch), matched against the path (`/api/**`), host+path, or the URL without query. Empty = all. */
      include: z.array(z.string()).default([]),
      /** URL globs to drop, matched the same way. */
      exclude: z.array(z.string()).default([]),
      dropStaticAssets: z.boolean().default(true),
      /** Bodies longer than this (characters) are cut, with a note. */
      maxBodyChars: z.number().int().positive().default(65536),
    })
    .prefault({}),
  screenshots: z
    .object({
      enabled: z.boolean().default(true),
      /** Maximum width in pixels; aspect is kept and small frames are never enlarged. */
      width: z.number().int().positive().default(1280),
      format: z.enum(['png', 'jpeg', 'webp']).default('webp'),
      quality: z.number().int().min(1).max(100).default(80),
      /** WebP encoder effort 0 (fast) .. 6 (small); 2 is ~2-3x faster than libwebp's default 4 for a few % more bytes. */
      effort: z.number().int().min(0).max(6).default(2),
      /** Cap on distinct images per session; frames of steps with network requests, then clicks, are kept first. */
      maxPerSession: z.number().int().nonnegative().default(50),
      /**
       * Two frames count as the same screen when no tile (1/32 of the screen's width, on a 256x160
       * grey signature) changed its mean grey level by this much (0..1). A menu, a tooltip, a
       * panel or a focus ring moves some tile by more; video compression moves none by half as much.
       */
      distinctThreshold: z.number().min(0).max(1).default(0.025),
      /** How far back (frames) to step while frames stay the same as the one just before the action. */
      maxLookback: z.number().int().positive().default(120),
    })
    .prefault({}),
  video: z
    .object({
      /** Every source frame of video.mp4 in this span (ms) before each step is looked at (when there are no screenshots). */
      denseMs: z.number().int().nonnegative().default(1000),
      /** Further back, up to this span (ms) before each step, frames are looked at `fps` a second. */
      lookbackMs: z.number().int().nonnegative().default(5000),
      /** Frames per second looked at between `lookbackMs` and `denseMs` before a step. */
      fps: z.number().positive().max(60).default(4),
      /**
       * Frames of the last this many ms before a step are not taken as its screen: an event is
       * stamped when the page or hook handles it, after the screen may already show its effect
       * (a wheel scrolls on the compositor first). One frame at 25 fps.
       */
      eventLagMs: z.number().int().nonnegative().default(40),
    })
    .prefault({}),
});
export type NormalizeOptions = z.infer<typeof NormalizeOptions>;

import { z } from 'zod';

/** `with:` of a classify node. */
export const ClassifyOptions = z
  .strictObject({
    /** Steps per model request; longer timelines go in overlapping chunks. */
    chunkSteps: z.number().int().min(4).default(60),
    /** Steps shared by consecutive chunks, so an action on a boundary is seen whole once. */
    chunkOverlap: z.number().int().min(0).default(10),
    /** Cap on keyframe images per request. */
    maxImages: z.number().int().min(0).default(8),
    /** Show each step's network requests (method, URL, body) to the model. */
    includeNetwork: z.boolean().default(true),
    /** Longest request body shown to the model, in characters. */
    maxBodyChars: z.number().int().min(0).default(1500),
  })
  .refine((o) => o.chunkOverlap < o.chunkSteps, { message: 'chunkOverlap must be smaller than chunkSteps', path: ['chunkOverlap'] });
export type ClassifyOptions = z.infer<typeof ClassifyOptions>;

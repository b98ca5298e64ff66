import { z } from 'zod';
import { EvidenceRule } from './evidence.ts';

/** A JSON Schema object describing one action's parameters (checked further with ajv). */
const ParametersSchema = z
  .looseObject({ type: z.literal('object'), properties: z.record(z.string(), z.record(z.string(), z.unknown())) })
  .describe('JSON Schema (draft 2020-12) of the parameters object');

export const ActionSpec = z.strictObject({
  description: z.string().min(1),
  parameters: ParametersSchema,
  evidence: z.array(EvidenceRule).default([]),
});
export type ActionSpec = z.infer<typeof ActionSpec>;

export const SuiteSpec = z.strictObject({
  id: z.string().min(1),
  description: z.string().default(''),
  actions: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'action names are snake_case'), ActionSpec),
});
export type SuiteSpec = z.infer<typeof SuiteSpec>;

/** A parsed, validated Suite with each action's parameter validator compiled. */
export interface Suite extends SuiteSpec {
  /** Absolute path the suite was read from. */
  file: string;
  /** Action names in file order. */
  actionNames: string[];
  /** Validates an action's parameters against its schema; returns ajv-style error texts, empty when valid. */
  validateParameters(action: string, parameters: unknown): string[];
}

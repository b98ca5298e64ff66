/** JSON Schema as plain data. */
export type JsonSchema = Record<string, unknown>;

/**
 * The part of a Suite the tool map needs: each action's description and parameter
 * schema. Structural, so any parsed suite (domain/suite) fits.
 */
export interface SuiteActions {
  id?: string;
  actions: Record<string, { description?: string; parameters?: JsonSchema }>;
}

export function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  const p = schema?.['properties'];
  return p !== null && typeof p === 'object' ? (p as Record<string, JsonSchema>) : {};
}

export function requiredOf(schema: JsonSchema | undefined): string[] {
  const r = schema?.['required'];
  return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
}

export { parseSuite, parseSuiteCached, describeAjvError } from './parse.ts';
export type { Suite, SuiteSpec, ActionSpec } from './suite.ts';
export type { EvidenceRule, RequestTrigger, ClickTrigger, TypeTrigger, ParameterSource } from './evidence.ts';

export { parseSuite, parseSuiteCached, describeAjvError, locateInSuite } from './parse.ts';
export type { Suite, SuiteSpec, ActionSpec } from './suite.ts';
export type { EvidenceRule, RequestTrigger, ClickTrigger, TypeTrigger, ParameterSource } from './evidence.ts';

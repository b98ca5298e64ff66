export { classifyWithRules } from './provider.ts';

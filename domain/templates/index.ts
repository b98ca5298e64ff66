export { templateProblems, type KnownNames, type TemplateProblem } from './problems.ts';

export { buildReport, writeReport } from './build.ts';
export { reportCommand } from '../../cli/commands/report.ts';
export { loadReportData, type ReportData, type ReportExample, type ReportFailure, type StageRow } from './load.ts';
export { renderReport, type InlineImage } from './render.ts';

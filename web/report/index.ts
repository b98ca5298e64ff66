export { buildReport, writeReport } from './build.ts';
export { loadReportData, type ReportData, type ReportExample, type ReportFailure, type StageRow } from './report-data.ts';
export { renderReport, type InlineImage } from './render.ts';

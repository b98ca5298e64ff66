#!/usr/bin/env node
// Prints the slowest test files and tests of a vitest JSON report
// (`npx vitest run --reporter=json --outputFile=r.json`): node bench/tests/slowest.mjs r.json [n]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, n = '15'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node bench/tests/slowest.mjs <vitest-report.json> [n]');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const files = report.testResults.map((t) => ({ ms: t.endTime - t.startTime, name: relative(process.cwd(), t.name) }));
const tests = report.testResults.flatMap((t) =>
  t.assertionResults.map((a) => ({ ms: a.duration ?? 0, name: `${relative(process.cwd(), t.name)} > ${a.title}` })),
);
const top = (rows) =>
  rows
    .sort((a, b) => b.ms - a.ms)
    .slice(0, Number(n))
    .map((r) => `${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.name}`);
const sum = files.reduce((s, f) => s + f.ms, 0);
console.log(`${report.numPassedTests}/${report.numTotalTests} passed, ${files.length} files, ${(sum / 1000).toFixed(1)} s summed over files`);
console.log('slowest files:');
for (const l of top(files)) console.log(l);
console.log('slowest tests:');
for (const l of top(tests)) console.log(l);

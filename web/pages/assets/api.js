import { getJson, href, postJson } from './dom.js';

// Every API call the pages make, typed by the server's own response types
// (web/api/responses.ts): a field renamed there fails `npm run typecheck` here.

/** @typedef {import('../../api/responses.ts').RunsResponse} RunsResponse */
/** @typedef {import('../../api/responses.ts').RunResponse} RunResponse */
/** @typedef {import('../../api/responses.ts').RunItemsResponse} RunItemsResponse */
/** @typedef {import('../../api/responses.ts').RunErrorsResponse} RunErrorsResponse */
/** @typedef {import('../../api/responses.ts').RunErrorView} RunErrorView */
/** @typedef {import('../../api/responses.ts').ExampleResponse} ExampleResponse */
/** @typedef {import('../../api/responses.ts').KeyframeView} KeyframeView */
/** @typedef {import('../../api/responses.ts').ReviewQueueResponse} ReviewQueueResponse */
/** @typedef {import('../../api/responses.ts').ReviewQueueItem} ReviewQueueItem */
/** @typedef {import('../../api/responses.ts').ReviewRequest} ReviewRequest */
/** @typedef {import('../../api/responses.ts').ReviewResponse} ReviewResponse */
/** @typedef {import('../../api/responses.ts').CompareResponse} CompareResponse */
/** @typedef {import('../../api/run-view.ts').RunView} RunView */
/** @typedef {import('../../api/run-view.ts').RunDetail} RunDetail */
/** @typedef {import('../../api/run-view.ts').StageView} StageView */

/** @returns {Promise<RunsResponse>} */
export async function fetchRuns() {
  return /** @type {RunsResponse} */ (await getJson('/api/runs'));
}

/**
 * @param {string} id
 * @returns {Promise<RunResponse>}
 */
export async function fetchRun(id) {
  return /** @type {RunResponse} */ (await getJson(`/api/runs/${encodeURIComponent(id)}`));
}

/**
 * @param {string} id
 * @returns {Promise<RunErrorsResponse>}
 */
export async function fetchRunErrors(id) {
  return /** @type {RunErrorsResponse} */ (await getJson(`/api/runs/${encodeURIComponent(id)}/errors`));
}

/**
 * @param {string} id
 * @param {{ stage?: string; status?: 'succeeded' | 'failed' | 'skipped'; item?: string; limit?: number; offset?: number }} query
 * @returns {Promise<RunItemsResponse>}
 */
export async function fetchRunItems(id, query) {
  return /** @type {RunItemsResponse} */ (await getJson(href(`/api/runs/${encodeURIComponent(id)}/items`, query)));
}

/** @param {string} id */
export function runEventsUrl(id) {
  return `/api/runs/${encodeURIComponent(id)}/events`;
}

/**
 * @param {string} id
 * @param {string | null} run the run to read; the latest that has the example when null
 * @returns {Promise<ExampleResponse>}
 */
export async function fetchExample(id, run) {
  return /** @type {ExampleResponse} */ (await getJson(href(`/api/examples/${encodeURIComponent(id)}`, { run })));
}

/**
 * @param {string | null} run the run to review; the latest with examples when null
 * @returns {Promise<ReviewQueueResponse>}
 */
export async function fetchReviewQueue(run) {
  return /** @type {ReviewQueueResponse} */ (await getJson(href('/api/review', { run })));
}

/**
 * @param {string} exampleId
 * @param {string | null} run
 * @param {ReviewRequest} decision
 * @returns {Promise<ReviewResponse>}
 */
export async function postDecision(exampleId, run, decision) {
  return /** @type {ReviewResponse} */ (await postJson(href(`/api/review/${encodeURIComponent(exampleId)}`, { run }), decision));
}

/**
 * @param {string} a
 * @param {string} b
 * @returns {Promise<CompareResponse>}
 */
export async function fetchCompare(a, b) {
  return /** @type {CompareResponse} */ (await getJson(href('/api/compare', { a, b })));
}

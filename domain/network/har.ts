import { inputError } from '../../engine/errors.ts';
import { isPlainObject as isObject } from '../../engine/values.ts';
import { describeJsonError } from '../session/json-text.ts';

/** The parts of HAR 1.2 tracepipe reads; other fields (and recorder extensions like `_monotonicTime`) pass through. */
export interface HarNameValue {
  name: string;
  value: string;
  [extra: string]: unknown;
}

export interface HarPostData {
  mimeType?: string;
  text?: string;
  params?: { name: string; value?: string; [extra: string]: unknown }[];
  [extra: string]: unknown;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion?: string;
  headers: HarNameValue[];
  queryString?: HarNameValue[];
  cookies?: HarNameValue[];
  postData?: HarPostData;
  [extra: string]: unknown;
}

export interface HarContent {
  size?: number;
  mimeType?: string;
  text?: string;
  encoding?: string;
  [extra: string]: unknown;
}

export interface HarResponse {
  status: number;
  statusText?: string;
  headers: HarNameValue[];
  cookies?: HarNameValue[];
  content: HarContent;
  redirectURL?: string;
  [extra: string]: unknown;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time?: number;
  request: HarRequest;
  response: HarResponse;
  [extra: string]: unknown;
}

export interface HarPage {
  id: string;
  startedDateTime: string;
  title?: string;
  [extra: string]: unknown;
}

export interface Har {
  log: {
    version: string;
    creator: { name: string; version: string };
    pages?: HarPage[];
    entries: HarEntry[];
    [extra: string]: unknown;
  };
}

/**
 * Parses and checks a HAR 1.2 document. Every problem is TP_INPUT naming the file and the
 * field, e.g. `network.har: log.entries[3].request.url is missing`.
 */
export function readHar(input: string | unknown, file: string): Har {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (err) {
      const why = describeJsonError(err, input);
      throw inputError(`${file}: not valid JSON (${why.text})`, {
        location: { file, ...(why.line === undefined ? {} : { line: why.line, column: why.column }) },
      });
    }
  }
  const fail = (field: string, what: string): never => {
    throw inputError(`${file}: ${field} ${what}`, {
      location: { file, field },
      hint: 'The file must be HAR 1.2: {log: {entries: [{startedDateTime, request: {method, url}, response: {status}}]}}.',
    });
  };
  if (!isObject(doc)) fail('(root)', 'is not a JSON object');
  const log = (doc as Record<string, unknown>)['log'];
  if (log === undefined) fail('log', 'is missing');
  if (!isObject(log)) fail('log', 'is not an object');
  const logObj = log as Record<string, unknown>;
  const entries = logObj['entries'];
  if (entries === undefined) fail('log.entries', 'is missing');
  if (!Array.isArray(entries)) fail('log.entries', 'is not an array');

  const checked: HarEntry[] = (entries as unknown[]).map((entry, i) => {
    const at = `log.entries[${i}]`;
    if (!isObject(entry)) return fail(at, 'is not an object');
    const started = entry['startedDateTime'];
    if (started === undefined) fail(`${at}.startedDateTime`, 'is missing');
    if (typeof started !== 'string' || Number.isNaN(Date.parse(started))) {
      fail(`${at}.startedDateTime`, `is not an ISO-8601 time (${JSON.stringify(started)})`);
    }
    const request = entry['request'];
    if (request === undefined) fail(`${at}.request`, 'is missing');
    if (!isObject(request)) return fail(`${at}.request`, 'is not an object');
    for (const key of ['method', 'url'] as const) {
      if (request[key] === undefined) fail(`${at}.request.${key}`, 'is missing');
      if (typeof request[key] !== 'string') fail(`${at}.request.${key}`, 'is not a string');
    }
    checkNameValues(request['headers'], `${at}.request.headers`, fail);
    checkNameValues(request['cookies'], `${at}.request.cookies`, fail);
    checkNameValues(request['queryString'], `${at}.request.queryString`, fail);
    const postData = request['postData'];
    if (postData !== undefined && !isObject(postData)) fail(`${at}.request.postData`, 'is not an object');
    if (isObject(postData) && postData['text'] !== undefined && typeof postData['text'] !== 'string') {
      fail(`${at}.request.postData.text`, 'is not a string');
    }
    const response = entry['response'];
    if (response === undefined) fail(`${at}.response`, 'is missing');
    if (!isObject(response)) return fail(`${at}.response`, 'is not an object');
    if (response['status'] === undefined) fail(`${at}.response.status`, 'is missing');
    if (typeof response['status'] !== 'number') fail(`${at}.response.status`, 'is not a number');
    checkNameValues(response['headers'], `${at}.response.headers`, fail);
    checkNameValues(response['cookies'], `${at}.response.cookies`, fail);
    const content = response['content'] ?? {};
    if (!isObject(content)) fail(`${at}.response.content`, 'is not an object');
    const text = (content as Record<string, unknown>)['text'];
    if (text !== undefined && typeof text !== 'string') fail(`${at}.response.content.text`, 'is not a string');
    return {
      ...entry,
      request: { ...request, headers: (request['headers'] as HarNameValue[] | undefined) ?? [] },
      response: { ...response, headers: (response['headers'] as HarNameValue[] | undefined) ?? [], content },
    } as HarEntry;
  });

  const pages = logObj['pages'];
  if (pages !== undefined && !Array.isArray(pages)) fail('log.pages', 'is not an array');
  return {
    log: {
      ...logObj,
      version: typeof logObj['version'] === 'string' ? logObj['version'] : '1.2',
      creator: isObject(logObj['creator']) ? (logObj['creator'] as Har['log']['creator']) : { name: 'unknown', version: '' },
      ...(Array.isArray(pages) ? { pages: pages as HarPage[] } : {}),
      entries: checked,
    },
  };
}

function checkNameValues(value: unknown, field: string, fail: (field: string, what: string) => never): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail(field, 'is not an array');
  (value as unknown[]).forEach((item, i) => {
    if (!isObject(item)) fail(`${field}[${i}]`, 'is not an object');
    if (typeof (item as Record<string, unknown>)['name'] !== 'string') fail(`${field}[${i}].name`, 'is missing');
  });
}

/** An empty HAR 1.2 log that importers fill with entries. */
export function newHar(entries: HarEntry[], pages?: HarPage[]): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: 'tracepipe', version: '0.1.0' },
      ...(pages === undefined ? {} : { pages }),
      entries,
    },
  };
}

/** Network traffic: HAR reading, request selection for timelines, and credential redaction. */
export { readHar, newHar } from './har.ts';
export type { Har, HarEntry, HarPage, HarRequest, HarResponse, HarContent, HarNameValue, HarPostData } from './har.ts';
export { requestSelector, selectRequests } from './select.ts';
export type { SelectOptions } from './select.ts';
export {
  REDACTED,
  redact,
  isSecretName,
  isSecretField,
  redactString,
  maskTokens,
  redactJson,
  redactUrl,
  redactHeaders,
  redactHeaderRecord,
  redactBodyText,
  redactHarEntry,
  redactHar,
  redactRequest,
} from './redact.ts';
export { isStaticAsset } from './static-assets.ts';
export { parseBody, DEFAULT_MAX_BODY_CHARS } from './body.ts';

export { createApp, API_ROUTES, type AppOptions } from './app.ts';
export { ApiError, type ApiErrorBody, type ApiErrorCode } from './errors.ts';
export type { RunView, RunDetail, StageView, Progress } from './run-view.ts';
export type { RouteSpec, ApiDeps } from './route.ts';
export { openApiDocument } from './openapi.ts';
export { isLoopbackHost } from './guards.ts';

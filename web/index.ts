export {
  createApp,
  API_ROUTES,
  ApiError,
  openApiDocument,
  isLoopbackHost,
  type AppOptions,
  type ApiErrorBody,
  type RunView,
  type RunDetail,
  type StageView,
  type Progress,
  type RouteSpec,
} from './api/index.ts';
export { startServer, type ServerOptions, type RunningServer } from './server.ts';

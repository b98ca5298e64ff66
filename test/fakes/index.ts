export { startFakeOpenAI, completion, type FakeOpenAIServer, type Reply, type RecordedRequest, type Handler } from './openai-server.ts';

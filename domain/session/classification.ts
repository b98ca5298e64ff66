/** What the classify stage outputs per session (DESIGN §4). */
export interface ClassifiedSpan {
  action: string;
  /** Inclusive timeline step ids (1-based). */
  startStep: number;
  endStep: number;
  parameters: Record<string, unknown>;
  /** 0..1 */
  confidence: number;
  /** Human-readable reasons, e.g. "step 7: POST /api/messages/send". */
  evidence: string[];
}

export interface ModelUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
}

export interface Classification {
  sessionId: string;
  provider: string;
  /** The model id for LLM providers, `rules` for the rules provider. */
  modelId: string;
  spans: ClassifiedSpan[];
  usage: ModelUsage;
}

/**
 * Credential shapes that are secrets wherever they appear, whatever names them: provider
 * keys and tokens with a fixed prefix. Derived from gitleaks' default rules
 * (config/gitleaks.toml, https://github.com/gitleaks/gitleaks, MIT License, Copyright (c)
 * 2019 Zachary Rice; see NOTICE.md), rewritten for masking rather than finding:
 *
 * - every rule is a prefix, a body character class and a minimum body length, and the
 *   body runs to the end of its characters (`{min,}`), so a match never backtracks and a
 *   longer token than the scanner expects is masked whole instead of left half visible;
 * - gitleaks' allowlists (`...EXAMPLE` AWS ids, documentation keys) are dropped: masking a
 *   sample key costs nothing, leaking a real one that happens to look like a sample does.
 *
 * `entropy` is gitleaks' minimum Shannon entropy (bits per character) of the whole match,
 * where it sets one: it keeps words such as `sk-learn-and-friends-forever` visible.
 */
export interface TokenRule {
  /** gitleaks' rule id. */
  id: string;
  /** Regular-expression source of the fixed prefix (no groups that capture). */
  prefix: string;
  /** Regular-expression character class of the body. */
  body: string;
  /** Fewest body characters a token has. */
  min: number;
  entropy?: number;
}

export const TOKEN_RULES: readonly TokenRule[] = [
  // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-) and Anthropic (sk-ant-api03-, sk-ant-admin01-) keys.
  { id: 'openai-api-key', prefix: 'sk-', body: '[A-Za-z0-9_-]', min: 20, entropy: 3 },
  { id: 'stripe-access-token', prefix: '(?:sk|rk)_(?:test|live|prod)_', body: '[a-zA-Z0-9]', min: 10, entropy: 2 },
  { id: 'aws-access-token', prefix: '(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)', body: '[A-Z2-7]', min: 16, entropy: 3 },
  { id: 'github-pat', prefix: 'gh[pousr]_', body: '[0-9a-zA-Z]', min: 36, entropy: 3 },
  { id: 'github-fine-grained-pat', prefix: 'github_pat_', body: '\\w', min: 82, entropy: 3 },
  { id: 'gitlab-pat', prefix: 'gl(?:pat|dt|ft|rt|ptt|oas|soat|agent|imt|ffct|cbt)-', body: '[0-9a-zA-Z_-]', min: 20, entropy: 3 },
  { id: 'slack-token', prefix: 'xox[abposre]-', body: '[0-9A-Za-z-]', min: 10, entropy: 2 },
  { id: 'slack-app-token', prefix: 'xapp-', body: '[0-9A-Za-z-]', min: 10, entropy: 2 },
  { id: 'slack-webhook-url', prefix: 'hooks\\.slack\\.com/(?:services|workflows|triggers)/', body: '[A-Za-z0-9+/]', min: 43 },
  { id: 'gcp-api-key', prefix: 'AIza', body: '[\\w-]', min: 35, entropy: 3 },
  { id: 'npm-access-token', prefix: 'npm_', body: '[a-zA-Z0-9]', min: 36, entropy: 2 },
  { id: 'huggingface-access-token', prefix: '(?:hf_|api_org_)', body: '[a-zA-Z]', min: 34, entropy: 2 },
  { id: 'sendgrid-api-token', prefix: 'SG\\.', body: '[a-zA-Z0-9=_.-]', min: 66, entropy: 2 },
  { id: 'twilio-api-key', prefix: 'SK', body: '[0-9a-fA-F]', min: 32, entropy: 3 },
  { id: 'pypi-upload-token', prefix: 'pypi-AgEIcHlwaS5vcmc', body: '[\\w-]', min: 50, entropy: 3 },
  { id: 'shopify-access-token', prefix: 'shp(?:at|ca|pa|ss)_', body: '[a-fA-F0-9]', min: 32, entropy: 2 },
  { id: 'digitalocean-token', prefix: 'do[opr]_v1_', body: '[a-f0-9]', min: 64, entropy: 3 },
  { id: 'databricks-api-token', prefix: 'dapi', body: '[a-f0-9]', min: 32, entropy: 3 },
  { id: 'perplexity-api-key', prefix: 'pplx-', body: '[a-zA-Z0-9]', min: 48, entropy: 4 },
  { id: 'heroku-api-key-v2', prefix: 'HRKU-AA', body: '[0-9a-zA-Z_-]', min: 58, entropy: 4 },
  { id: 'grafana-cloud-api-token', prefix: 'glc_', body: '[A-Za-z0-9+/]', min: 32, entropy: 3 },
  { id: '1password-service-account-token', prefix: 'ops_eyJ', body: '[a-zA-Z0-9+/]', min: 250, entropy: 4 },
  { id: 'age-secret-key', prefix: 'AGE-SECRET-KEY-1', body: '[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]', min: 58 },
];

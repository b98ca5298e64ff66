/** What every secret is replaced with. */
export const REDACTED = '[REDACTED]';

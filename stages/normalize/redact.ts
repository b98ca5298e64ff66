import { isSecretField, maskTokens, REDACTED, redactUrl } from '../../domain/network/index.ts';
import type { DraftStep } from './reduce.ts';

/**
 * Masks credentials the input events themselves carry: text typed into password-like fields,
 * tokens in page URLs (`?access_token=`), bearer/JWT tokens in typed text. Typed text is
 * otherwise left exactly as typed.
 */
export function redactSteps(steps: DraftStep[]): void {
  for (const step of steps) {
    if (step.url !== undefined) step.url = redactUrl(step.url);
    if (step.text === undefined) continue;
    if (step.kind === 'navigate') step.text = redactUrl(step.text);
    else if ((step.kind === 'type' || step.kind === 'select') && isSecretField(step.target)) step.text = REDACTED;
    else step.text = maskTokens(step.text);
  }
}

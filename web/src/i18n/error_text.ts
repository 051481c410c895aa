// A refused request said in the user's language: the label of its reason or code
// (api/error_reasons.ts); the server's own English text only as a secondary detail, when
// no reason matched it (a refused field is named there).
import { ApiError } from '../api/errors';
import { errorLabel } from '../api/error_reasons';
import { t, type MessageKey } from './index';

export function errorTextOf(code: string, status: number, message: string): string {
  const { key, detail } = errorLabel(code, status, message);
  const text = t(key as MessageKey);
  return detail && detail !== text ? `${text} ${t('error.detail', { message: detail })}` : text;
}

/**
 * A server text that may be a refusal's message (an audit entry's detail): its reason's
 * label when it names one, else the text as the server wrote it.
 */
export function reasonTextOf(message: string): string {
  const { key, detail } = errorLabel('', 0, message);
  return detail === '' ? t(key as MessageKey) : message;
}

/** What to tell the user about a failed request (or anything else thrown). */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.kind === 'network') return t('error.code.network');
  const text = errorTextOf(error.code, error.status, error.message);
  if (error.kind === 'too_many_requests' && error.retryAfter !== null)
    return `${text} (${t('app.retryIn', { seconds: error.retryAfter })})`;
  return text;
}

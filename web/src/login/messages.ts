// What to tell the user about a refused login step.
import { ApiError } from '../api/client';
import { t } from '../i18n';
import { errorText } from '../i18n/error_text';

// Backoff doubles from 1 s up to the server's maximum (15 min by default); a lock lasts
// longer (30 min by default). The server answers both with 429 and Retry-After.
const LOCK_THRESHOLD_SECONDS = 15 * 60;

export function loginErrorText(error: unknown, wrongText: (error: ApiError) => string): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.kind === 'too_many_requests') {
    const seconds = error.retryAfter ?? 60;
    if (seconds > LOCK_THRESHOLD_SECONDS) return t('login.lockout', { minutes: Math.ceil(seconds / 60) });
    return t('login.backoff', { seconds });
  }
  if (error.kind === 'unauthenticated') return wrongText(error);
  return errorText(error);
}

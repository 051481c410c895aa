// A failed load, said plainly, with a way to try again.
import { ApiError } from '../api/client';
import { t } from '../i18n';

export function errorText(error: ApiError): string {
  if (error.kind === 'network') return t('app.networkError');
  if (error.kind === 'too_many_requests' && error.retryAfter !== null)
    return `${error.message} (${t('app.retryIn', { seconds: error.retryAfter })})`;
  return error.message;
}

export function ErrorNotice(props: { error: ApiError; onRetry?: () => void }) {
  return (
    <div class="error" role="alert">
      <p>{errorText(props.error)}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

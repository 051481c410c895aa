// A failed load, said plainly, with a way to try again.
import { ApiError } from '../api/client';
import { t } from '../i18n';
import { errorText } from '../i18n/error_text';

export { errorText };

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

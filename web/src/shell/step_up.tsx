// The step-up prompt: the server asked for a fresh TOTP code before an operation (a
// sensitive action, or containment after unusual activity). The API client waits on
// the promise this dialog settles and retries the request once when it resolves true.
import { useState } from 'preact/hooks';
import { stepUp } from '../api/auth';
import { t } from '../i18n';
import { errorText, errorTextOf } from '../i18n/error_text';
import { Dialog } from './dialog';
import { Field } from './field';

export interface StepUpRequest {
  message: string;
  settle: (confirmed: boolean) => void;
}

export function StepUpDialog(props: { request: StepUpRequest }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await stepUp(code.trim());
      props.request.settle(true);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('stepUp.title')} onCancel={() => props.request.settle(false)}>
      <p>{t('stepUp.help')}</p>
      <p class="muted">{errorTextOf('step_up_required', 401, props.request.message)}</p>
      <form onSubmit={submit}>
        <Field
          id="step-up-code"
          label={t('stepUp.code')}
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          required
          autoFocus
          value={code}
          onValue={setCode}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={() => props.request.settle(false)}>
            {t('app.cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('stepUp.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

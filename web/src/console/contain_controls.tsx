// Containment of one account: the one-click measure (end every session of the account
// now) and the others from a list. Containment is a sensitive operation: the API client
// opens the step-up prompt when the server asks for a fresh code, then retries.
import { useState } from 'preact/hooks';
import { formatDateTime, t, type MessageKey } from '../i18n';
import { CONTAINMENT_ACTIONS, contain, type ContainmentAction } from './api';
import { ErrorLine, errorText } from './parts';

export function actionLabel(action: string): string {
  return t(`contain.${action}` as MessageKey);
}

export function ContainControls(props: { account: string; username: string; idPrefix: string; onDone?: () => void }) {
  const [other, setOther] = useState<ContainmentAction>('lock');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const apply = async (action: ContainmentAction) => {
    setBusy(true);
    setError('');
    setMessage('');
    try {
      const done = await contain(props.account, action);
      setMessage(
        t('console.contain.done', { action: actionLabel(action), user: props.username, time: formatDateTime(done.at) }),
      );
      props.onDone?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const selectId = `${props.idPrefix}-contain-action`;
  return (
    <div class="contain">
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={() => apply('suspend-sessions')}
        title={t('console.contain.oneClickHelp', { user: props.username })}
        aria-label={`${t('console.contain.oneClick')} — ${props.username}`}
      >
        {t('console.contain.oneClick')}
      </button>
      <span class="contain-other">
        <label for={selectId}>{t('console.contain.other')}</label>
        <select id={selectId} value={other} onChange={(e) => setOther(e.currentTarget.value as ContainmentAction)}>
          {CONTAINMENT_ACTIONS.filter((a) => a !== 'suspend-sessions').map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}
            </option>
          ))}
        </select>
        <button type="button" disabled={busy} onClick={() => apply(other)}>
          {t('console.contain.apply')}
        </button>
      </span>
      <p role="status" class={message ? 'notice' : 'sr-only'}>
        {message}
      </p>
      <ErrorLine message={error} />
    </div>
  );
}

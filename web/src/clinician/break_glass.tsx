// Breaking the glass: opening a patient outside one's care, for a stated purpose and
// reason, which the security officer is told of at once. The server asks for a fresh
// TOTP code first (the step-up prompt opens by itself) and limits grants per day.
import { useState } from 'preact/hooks';
import { breakGlass, PURPOSES, type Purpose } from '../api/access';
import { ApiError } from '../api/client';
import { t } from '../i18n';
import { Dialog } from '../shell/dialog';
import { useMe } from '../shell/session';
import { errorText } from './error_notice';

const MIN_REASON = 10;
const MAX_REASON = 500;

export function NotInCare(props: { patientId: string; message: string; onGranted: () => void }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  return (
    <section class="not-in-care" aria-labelledby="not-in-care-title">
      <h1 id="not-in-care-title">{t('glass.notInCare')}</h1>
      <p class="muted">{props.message}</p>
      <p class="muted">{t('glass.help', { left: me.break_glass_left })}</p>
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        {t('glass.open')}
      </button>
      {open && (
        <BreakGlassDialog
          patientId={props.patientId}
          onCancel={() => setOpen(false)}
          onGranted={() => {
            setOpen(false);
            props.onGranted();
          }}
        />
      )}
    </section>
  );
}

function BreakGlassDialog(props: { patientId: string; onCancel: () => void; onGranted: () => void }) {
  const [purpose, setPurpose] = useState<Purpose>('ETREAT');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (reason.trim().length < MIN_REASON) {
      setError(t('glass.reasonShort', { min: MIN_REASON }));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await breakGlass(props.patientId, purpose, reason.trim());
      props.onGranted();
    } catch (err) {
      setError(err instanceof ApiError ? errorText(err) : String(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('glass.title')} onCancel={props.onCancel} alert>
      <p>{t('glass.warning')}</p>
      <form onSubmit={submit}>
        <label for="glass-purpose">{t('glass.purpose')}</label>
        <select id="glass-purpose" value={purpose} onChange={(e) => setPurpose(e.currentTarget.value as Purpose)}>
          {PURPOSES.map((p) => (
            <option key={p} value={p}>
              {t(`glass.purpose.${p}`)}
            </option>
          ))}
        </select>
        <label for="glass-reason">{t('glass.reason')}</label>
        <textarea
          id="glass-reason"
          required
          minLength={MIN_REASON}
          maxLength={MAX_REASON}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t('app.cancel')}
          </button>
          <button type="submit" class="danger" disabled={busy}>
            {t('glass.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

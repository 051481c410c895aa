// GDPR art. 34: the list of the report's patients to tell, with their contact details
// (GET /security/breach-notification/patients). It is personal data: the console never
// shows it, it hands it over as a file after a fresh code, and the server's audit entry
// names every patient whose details left (docs/OPERATIONS.md, runbook step 4).
import { useState } from 'preact/hooks';
import { download } from '../api/client';
import { t } from '../i18n';
import { breachQuery, type BreachScope } from './api';
import { ErrorLine, errorText } from './parts';
import { saveFile } from './save_file';

const FORMATS = ['csv', 'json'] as const;

export function NotifyPatients(props: { scope: BreachScope }) {
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');
  const [error, setError] = useState('');
  const fetchList = async (format: (typeof FORMATS)[number]) => {
    setBusy(true);
    setError('');
    setSaved('');
    try {
      const path = `/security/breach-notification/patients${breachQuery(props.scope, format)}`;
      const file = await download(path, `patients-to-notify.${format}`);
      saveFile(file.blob, file.filename);
      setSaved(t('console.notify.saved', { file: file.filename }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="notify-title">
      <h2 id="notify-title">{t('console.notify.title')}</h2>
      <p>{t('console.notify.help')}</p>
      <p class="notice">{t('console.notify.care')}</p>
      <div class="actions">
        {FORMATS.map((format) => (
          <button key={format} type="button" disabled={busy} onClick={() => void fetchList(format)}>
            {t(`console.notify.${format}`)}
          </button>
        ))}
      </div>
      {saved && (
        <p role="status" data-testid="notify-saved">
          {saved}
        </p>
      )}
      <ErrorLine message={error} />
    </section>
  );
}

// The security self-check (GET /security/selfcheck): findings about accounts, alerts,
// keys, TLS, file permissions and the audit log, the most severe first.
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, type MessageKey, t, valueLabel } from '../i18n';
import type { RouteProps } from '../shell/router';
import { selfCheck, type PostureReport } from './api';
import './console.css';
import { ErrorLine, HeadRow, errorText } from './parts';

export function SelfCheckScreen(_props: RouteProps) {
  const [report, setReport] = useState<PostureReport | null>(null);
  const [error, setError] = useState('');
  const [run, setRun] = useState(0);
  useEffect(() => {
    setReport(null);
    setError('');
    selfCheck()
      .then(setReport)
      .catch((e) => setError(errorText(e)));
  }, [run]);
  return (
    <section class="console" aria-labelledby="selfcheck-title">
      <h1 id="selfcheck-title">{t('console.selfcheck.title')}</h1>
      <div class="actions">
        <button type="button" onClick={() => setRun(run + 1)} disabled={!report && !error}>
          {t('console.selfcheck.rerun')}
        </button>
      </div>
      <ErrorLine message={error} />
      {!report && !error && <p>{t('app.loading')}</p>}
      {report && (
        <>
          <p>
            {t('console.selfcheck.generated', {
              time: formatDateTime(report.generated_at),
              highest: t(`finding.${report.highest}` as MessageKey),
            })}
          </p>
          <table data-testid="findings">
            <HeadRow
              labels={[
                t('console.selfcheck.severity'),
                t('console.selfcheck.check'),
                t('console.selfcheck.subject'),
                t('console.selfcheck.message'),
              ]}
            />
            <tbody>
              {report.findings.map((f, i) => (
                <tr key={i}>
                  <td>
                    <span class={`badge badge-${f.severity === 'info' ? 'ok' : f.severity}`}>
                      {t(`finding.${f.severity}` as MessageKey)}
                    </span>
                  </td>
                  <td>{valueLabel('check', f.check)}</td>
                  <td>{f.subject}</td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

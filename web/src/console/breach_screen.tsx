// The breach scope report for one or several accounts (and optionally an address) over a
// window: the server verifies the whole audit log first, then counts which patients
// received which data categories. The page shows the summary; the report itself (it
// names patients by id) and the GDPR art. 33 draft are downloads.
import { useState } from 'preact/hooks';
import { formatDateTime, hasMessage, t, valueLabel } from '../i18n';
import type { RouteProps } from '../shell/router';
import { breachQuery, breachReport, type BreachReport, type BreachScope } from './api';
import './console.css';
import { NotifyPatients } from './notify_patients';
import { ErrorLine, HeadRow, errorText } from './parts';

export function BreachScreen(props: RouteProps) {
  const [scope, setScope] = useState<BreachScope>({ account: props.query.get('account') ?? '' });
  const [report, setReport] = useState<BreachReport | null>(null);
  const [asked, setAsked] = useState<BreachScope | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (key: keyof BreachScope) => (e: Event) =>
    setScope({ ...scope, [key]: (e.currentTarget as HTMLInputElement).value });
  const run = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setReport(null);
    try {
      setReport(await breachReport(scope));
      setAsked(scope);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="console" aria-labelledby="breach-title">
      <h1 id="breach-title">{t('console.breach.title')}</h1>
      <form class="search-form" onSubmit={run}>
        <span class="wide">
          <label for="breach-account">{t('console.breach.account')}</label>
          <input id="breach-account" required value={scope.account} onInput={set('account')} autocomplete="off" />
        </span>
        <span>
          <label for="breach-address">{t('console.breach.address')}</label>
          <input id="breach-address" value={scope.address ?? ''} onInput={set('address')} autocomplete="off" />
        </span>
        <span>
          <label for="breach-since">{t('console.breach.since')}</label>
          <input id="breach-since" type="datetime-local" value={scope.since ?? ''} onInput={set('since')} />
        </span>
        <span>
          <label for="breach-until">{t('console.breach.until')}</label>
          <input id="breach-until" type="datetime-local" value={scope.until ?? ''} onInput={set('until')} />
        </span>
        <span class="submit">
          <button type="submit" class="primary" disabled={busy}>
            {t('console.breach.run')}
          </button>
        </span>
      </form>
      {busy && <p role="status">{t('console.breach.running')}</p>}
      <ErrorLine message={error} />
      {report && asked && <ReportSummary report={report} scope={asked} />}
    </section>
  );
}

function ReportSummary(props: { report: BreachReport; scope: BreachScope }) {
  const r = props.report;
  const link = (path: string, format: string) => `${path}${breachQuery(props.scope, format)}`;
  return (
    <>
      <p class="verified" role="status">
        {t('console.breach.verified', { entries: r.audit_log.entries, heads: r.audit_log.signed_heads })}{' '}
        <span class="muted">{formatDateTime(r.generated_at)}</span>
      </p>
      <h2>{t('console.breach.download')}</h2>
      <ul class="downloads">
        <li>
          <a href={link('/security/breach-report', 'json')} download>
            {t('console.breach.json')}
          </a>
        </li>
        <li>
          <a href={link('/security/breach-report', 'csv')} download>
            {t('console.breach.csv')}
          </a>
        </li>
        <li>
          <a href={link('/security/breach-report', 'html')} download>
            {t('console.breach.html')}
          </a>
        </li>
        <li>
          <a href={link('/security/breach-notification', 'html')} download>
            {t('console.breach.art33')}
          </a>
        </li>
        <li>
          <a href={link('/security/breach-notification', 'markdown')} download>
            {t('console.breach.art33md')}
          </a>
        </li>
      </ul>
      <NotifyPatients scope={props.scope} />
      <h2>{t('console.breach.summary')}</h2>
      <dl class="facts" data-testid="breach-summary">
        <dt>{t('console.breach.requests')}</dt>
        <dd>{r.summary.requests_in_scope}</dd>
        <dt>{t('console.breach.disclosures')}</dt>
        <dd>{r.summary.disclosures}</dd>
        <dt>{t('console.breach.patients')}</dt>
        <dd>{r.summary.patients}</dd>
        <dt>{t('console.breach.outside')}</dt>
        <dd>{r.summary.patients_reached_outside_care}</dd>
        <dt>{t('console.breach.health')}</dt>
        <dd>{r.summary.patients_with_health_data}</dd>
        <dt>{t('console.breach.changed')}</dt>
        <dd>{r.summary.patients_with_changed_records}</dd>
      </dl>
      {r.categories.length > 0 && (
        <>
          <h2>{t('console.breach.categories')}</h2>
          <table>
            <HeadRow
              labels={[t('console.breach.category'), t('console.breach.patients'), t('console.breach.accesses')]}
            />
            <tbody>
              {r.categories.map((c) => (
                <tr key={c.category}>
                  <td>{valueLabel('category', c.category)}</td>
                  <td>{c.patients}</td>
                  <td>{c.accesses}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {r.measures.length > 0 && (
        <>
          <h2>{t('console.breach.measures')}</h2>
          <ul>
            {r.measures.map((m, i) => (
              <li key={i}>
                {formatDateTime(m.time)} — {measureLabel(m.action)} ({m.by})
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** A measure of the report: a containment action, or an administrator's account change. */
function measureLabel(action: string): string {
  return hasMessage(`contain.${action}`)
    ? valueLabel('contain', action)
    : valueLabel('interaction', `account-${action}`);
}

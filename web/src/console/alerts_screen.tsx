// Live alerts: the list from GET /security/alerts, then every new alert as the server
// pushes it over Server-Sent Events (GET /security/events, opened with the session
// cookie: an EventSource sends it and needs no other header). Each alert shows the
// detector's explanation and offers one-click containment of its account.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime, type MessageKey, t, valueLabel } from '../i18n';
import { href } from '../shell/router';
import type { RouteProps } from '../shell/router';
import { listAlerts, resolveAlert, type Alert } from './api';
import { ContainControls } from './contain_controls';
import './console.css';
import { ErrorLine, errorText } from './parts';

type Link = 'connecting' | 'live' | 'offline';

function matches(a: Alert, state: string, severity: string): boolean {
  return (!state || a.state === state) && (!severity || a.severity === severity);
}

export function AlertsScreen(_props: RouteProps) {
  const [state, setState] = useState('open');
  const [severity, setSeverity] = useState('');
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [error, setError] = useState('');
  const [link, setLink] = useState<Link>('connecting');
  const [announcement, setAnnouncement] = useState('');
  const filter = useRef({ state, severity });
  filter.current = { state, severity };

  useEffect(() => {
    let source: EventSource | null = null;
    let cancelled = false;
    setAlerts(null);
    setError('');
    listAlerts({ state: state || undefined, severity: severity || undefined })
      .then((list) => {
        if (cancelled) return;
        setAlerts(list);
        // The stream starts after the newest alert listed, so that none falls between.
        const newest = list.reduce((max, a) => Math.max(max, a.id), 0);
        source = new EventSource(newest > 0 ? `/security/events?since=${newest}` : '/security/events');
        source.onopen = () => setLink('live');
        source.onerror = () => setLink('offline');
        source.addEventListener('alert', (event) => {
          const alert = JSON.parse((event as MessageEvent<string>).data) as Alert;
          if (!matches(alert, filter.current.state, filter.current.severity)) return;
          setAlerts((current) => (current && !current.some((a) => a.id === alert.id) ? [alert, ...current] : current));
          setAnnouncement(t('console.alerts.new', { kind: valueLabel('alertKind', alert.kind), user: alert.username }));
        });
      })
      .catch((e) => !cancelled && setError(errorText(e)));
    return () => {
      cancelled = true;
      source?.close();
    };
  }, [state, severity]);

  const replace = (next: Alert) => setAlerts((current) => current?.map((a) => (a.id === next.id ? next : a)) ?? null);

  return (
    <section class="console" aria-labelledby="alerts-title">
      <h1 id="alerts-title">{t('console.alerts.title')}</h1>
      <p class={`link link-${link}`} data-testid="stream-status">
        {t(`console.alerts.${link}` as MessageKey)}
      </p>
      <p class="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
      <div class="filters">
        <span>
          <label for="alert-state">{t('console.alerts.state')}</label>
          <select id="alert-state" value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="open">{t('console.alerts.stateOpen')}</option>
            <option value="resolved">{t('console.alerts.stateResolved')}</option>
            <option value="">{t('console.alerts.stateAll')}</option>
          </select>
        </span>
        <span>
          <label for="alert-severity">{t('console.alerts.severity')}</label>
          <select id="alert-severity" value={severity} onChange={(e) => setSeverity(e.currentTarget.value)}>
            <option value="">{t('console.alerts.severityAll')}</option>
            <option value="high">{t('severity.high')}</option>
            <option value="medium">{t('severity.medium')}</option>
            <option value="low">{t('severity.low')}</option>
          </select>
        </span>
      </div>
      <ErrorLine message={error} />
      {alerts === null && !error && <p>{t('app.loading')}</p>}
      {alerts?.length === 0 && <p class="muted">{t('console.alerts.none')}</p>}
      <ol class="alerts">
        {alerts?.map((a) => (
          <AlertCard key={a.id} alert={a} onResolved={replace} />
        ))}
      </ol>
    </section>
  );
}

function AlertCard(props: { alert: Alert; onResolved: (a: Alert) => void }) {
  const a = props.alert;
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const resolve = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      props.onResolved(await resolveAlert(a.id, note.trim()));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const titleId = `alert-${a.id}-title`;
  return (
    <li class={`alert alert-${a.severity}`} aria-labelledby={titleId} data-alert-kind={a.kind}>
      <h2 id={titleId}>
        <span class={`badge badge-${a.severity}`}>{t(`severity.${a.severity}` as MessageKey)}</span>{' '}
        {valueLabel('alertKind', a.kind)} — {a.username || a.account}
        <span class="muted when"> · {formatDateTime(a.created_at)}</span>
      </h2>
      {a.detail && (
        <p class="detail">
          <strong>{t('console.alerts.explanation')}</strong> {a.detail}
        </p>
      )}
      <dl class="facts">
        <dt>{t('console.alerts.account')}</dt>
        <dd>
          <a href={href(`/console/accounts/${encodeURIComponent(a.account)}`)}>{t('console.alerts.activity')}</a>{' '}
          <code>{a.account}</code>
        </dd>
        {a.patient && (
          <>
            <dt>{t('console.alerts.patient')}</dt>
            <dd>
              <code>{a.patient}</code>
            </dd>
          </>
        )}
        {a.audit_event && (
          <>
            <dt>{t('console.alerts.auditEvent')}</dt>
            <dd>
              <code>{a.audit_event}</code>
            </dd>
          </>
        )}
      </dl>
      {a.state === 'open' ? (
        <>
          <ContainControls account={a.account} username={a.username || a.account} idPrefix={`alert-${a.id}`} />
          <details class="resolve">
            <summary>{t('console.alerts.resolve')}</summary>
            <form onSubmit={resolve}>
              <label for={`alert-${a.id}-note`}>{t('console.alerts.resolveNote')}</label>
              <textarea
                id={`alert-${a.id}-note`}
                required
                minLength={3}
                maxLength={2000}
                value={note}
                onInput={(e) => setNote(e.currentTarget.value)}
              />
              <ErrorLine message={error} />
              <div class="actions">
                <button type="submit">{t('console.alerts.resolveSubmit')}</button>
              </div>
            </form>
          </details>
        </>
      ) : (
        <p class="muted">{t('console.alerts.resolvedBy', { time: formatDateTime(a.resolved_at) })}</p>
      )}
    </li>
  );
}

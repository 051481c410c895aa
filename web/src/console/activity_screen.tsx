// One account seen by the security officer: who it is, its containment and budgets, the
// detector's current risk and why, its activity over time as a plot with the alerts
// marked, its latest requests; and the containment controls.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { formatDateTime, formatNumber, type MessageKey, t, valueLabel } from '../i18n';
import { href, navigate, type RouteProps } from '../shell/router';
import { accountActivity, type Activity } from './api';
import { ActivityPlot } from './activity_plot';
import { ContainControls } from './contain_controls';
import './console.css';
import { HeadRow, errorText } from './parts';

const WINDOWS = [1, 24, 168] as const;

export function ActivityScreen(props: RouteProps) {
  const id = props.params.id;
  const requested = Number(props.query.get('hours') ?? '24');
  const hours = (WINDOWS as readonly number[]).includes(requested) ? requested : 24;
  const [activity, setActivity] = useState<Activity | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(() => {
    const abort = new AbortController();
    setError('');
    accountActivity(id, hours, abort.signal)
      .then(setActivity)
      .catch((e) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        setError(errorText(e));
      });
    return () => abort.abort();
  }, [id, hours]);
  useEffect(load, [load]);

  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!activity) return <p>{t('app.loading')}</p>;
  const a = activity;
  const s = a.series;
  const inWindow = a.alerts.filter((x) => x.created_at >= s.from && x.created_at < s.until);
  const minutes = Math.round(s.bucket_seconds / 60);
  return (
    <section class="console" aria-labelledby="activity-title">
      <h1 id="activity-title">{t('console.activity.title', { user: a.account.username })}</h1>
      <dl class="facts">
        <dt>{t('console.activity.role')}</dt>
        <dd>{t(`role.${a.account.role}` as MessageKey)}</dd>
        <dt>{t('console.activity.status')}</dt>
        <dd>
          {valueLabel('status', a.account.status)}
          {a.containment.locked && ` (${t('console.activity.locked')})`}
        </dd>
        {a.containment.step_up_required_since && (
          <>
            <dt>{t('console.activity.stepUpSince')}</dt>
            <dd>{formatDateTime(a.containment.step_up_required_since)}</dd>
          </>
        )}
        {a.containment.throttled_until && (
          <>
            <dt>{t('console.activity.throttledUntil')}</dt>
            <dd>{formatDateTime(a.containment.throttled_until)}</dd>
          </>
        )}
      </dl>
      <ContainControls account={a.account.id} username={a.account.username} idPrefix="activity" onDone={load} />
      <p>
        <a href={href(`/console/breach?account=${encodeURIComponent(a.account.id)}`)}>{t('console.activity.breach')}</a>
      </p>

      <h2>{t('console.activity.plot')}</h2>
      <label for="activity-window">{t('console.activity.window')}</label>
      <select
        id="activity-window"
        value={String(hours)}
        onChange={(e) => navigate(`/console/accounts/${encodeURIComponent(id)}?hours=${e.currentTarget.value}`)}
      >
        {WINDOWS.map((w) => (
          <option key={w} value={String(w)}>
            {t(`console.activity.hours${w}` as MessageKey)}
          </option>
        ))}
      </select>
      <p class="muted">{t('console.activity.plotHelp', { minutes })}</p>
      {!s.complete && <p class="notice">{t('console.activity.incomplete')}</p>}
      <ActivityPlot series={s} alertTimes={inWindow.map((x) => x.created_at)} label={t('console.activity.plot')} />
      {inWindow.length > 0 && (
        <>
          <h3>{t('console.activity.alertMarks')}</h3>
          <ul class="marks">
            {inWindow.map((x) => (
              <li key={x.id}>
                {formatDateTime(x.created_at)} — {valueLabel('alertKind', x.kind)} (
                {t(`severity.${x.severity}` as MessageKey)})
              </li>
            ))}
          </ul>
        </>
      )}
      <details>
        <summary>{t('console.activity.table')}</summary>
        <table>
          <HeadRow
            labels={[
              t('console.activity.time'),
              t('console.activity.requests'),
              t('console.activity.refused'),
              t('console.activity.patients'),
              t('console.activity.risk'),
            ]}
          />
          <tbody>
            {s.buckets
              .filter((b) => b.requests > 0 || b.risk !== null)
              .map((b) => (
                <tr key={b.start}>
                  <td>{formatDateTime(b.start)}</td>
                  <td>{b.requests}</td>
                  <td>{b.refused}</td>
                  <td>{b.patients}</td>
                  <td>{b.risk === null ? '' : formatNumber(b.risk)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>

      <h2>{t('console.activity.risk')}</h2>
      {a.risk ? (
        <>
          <p>
            {t('console.activity.riskNow', {
              score: formatNumber(a.risk.score),
              level: valueLabel('riskLevel', a.risk.level),
            })}
          </p>
          {a.risk.explanation.length > 0 && (
            <table>
              <HeadRow
                labels={[
                  t('console.activity.feature'),
                  t('console.activity.value'),
                  t('console.activity.usual'),
                  t('console.activity.points'),
                  t('console.alerts.explanation'),
                ]}
              />
              <tbody>
                {a.risk.explanation.map((line) => (
                  <tr key={line.feature}>
                    <td>{valueLabel('feature', line.feature)}</td>
                    <td>{formatNumber(line.value)}</td>
                    <td>{formatNumber(line.usual)}</td>
                    <td>{formatNumber(line.points)}</td>
                    <td>{line.sentence}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : (
        <p class="muted">{t('console.activity.riskOff')}</p>
      )}

      <h2>{t('console.activity.budgets')}</h2>
      <dl class="facts">
        <dt>{t('console.activity.budgetHour')}</dt>
        <dd>
          {a.budgets.patients_last_hour} / {a.budgets.patients_per_hour}
        </dd>
        <dt>{t('console.activity.budgetDay')}</dt>
        <dd>
          {a.budgets.patients_last_day} / {a.budgets.patients_per_day}
        </dd>
        <dt>{t('console.activity.budgetSearch')}</dt>
        <dd>
          {a.budgets.directory_searches_last_hour} / {a.budgets.directory_searches_per_hour}
        </dd>
      </dl>

      <h2>{t('console.activity.recent')}</h2>
      <table>
        <HeadRow
          labels={[
            t('console.audit.time'),
            t('console.activity.interaction'),
            t('console.activity.type'),
            t('console.activity.httpStatus'),
            t('console.activity.patients'),
            t('console.activity.address'),
          ]}
        />
        <tbody>
          {a.recent.map((r) => (
            <tr key={r.audit_event}>
              <td>{formatDateTime(r.time)}</td>
              <td>{valueLabel('interaction', r.interaction)}</td>
              <td>{r.type}</td>
              <td>{r.status}</td>
              <td>{r.patients}</td>
              <td>{r.client_address}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

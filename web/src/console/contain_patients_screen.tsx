// Containment by patient set (runbook step 1, when what is known is the patients: a list
// that leaked, a complaint, a public figure): every account whose successful reads,
// searches or writes reached them in a window, found through the audit search by patient,
// then one containment action for all of them. The same as `medvault contain
// --touched-patients-file F --dry-run`, then without --dry-run.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { useMe } from '../shell/session';
import { href } from '../shell/router';
import { t } from '../i18n';
import type { RouteProps } from '../shell/router';
import {
  CONTAINMENT_ACTIONS,
  MAX_PAGES_PER_PATIENT,
  accountsThatTouched,
  contain,
  patientIdsOf,
  type ContainmentAction,
  type TouchingAccount,
} from './api';
import './console.css';
import { ErrorLine, HeadRow, errorText } from './parts';

const MAX_PATIENTS = 200;

export function ContainPatientsScreen(_: RouteProps) {
  const me = useMe();
  const [text, setText] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [found, setFound] = useState<{ accounts: TouchingAccount[]; partial: boolean; patients: number } | null>(null);
  const [action, setAction] = useState<ContainmentAction>('suspend-sessions');
  const [results, setResults] = useState<Record<string, { applied: boolean; text: string }>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const find = async (e: Event) => {
    e.preventDefault();
    const patients = patientIdsOf(text);
    setError('');
    setFound(null);
    setResults({});
    if (patients.length === 0 || patients.length > MAX_PATIENTS) {
      setError(t('console.touched.count', { max: MAX_PATIENTS }));
      return;
    }
    setBusy(true);
    try {
      setFound({ ...(await accountsThatTouched(patients, { from, until })), patients: patients.length });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  // One account after the other: the first may open the step-up prompt, the rest then pass.
  const applyToAll = async () => {
    if (!found) return;
    setBusy(true);
    const done: Record<string, { applied: boolean; text: string }> = {};
    for (const a of found.accounts) {
      if (a.account === me.id) {
        done[a.account] = { applied: false, text: t('console.touched.self') };
        continue;
      }
      try {
        await contain(a.account, action);
        done[a.account] = { applied: true, text: t('console.touched.applied') };
      } catch (err) {
        done[a.account] = { applied: false, text: errorText(err) };
        // No fresh code given: the other accounts would only ask again.
        if (err instanceof ApiError && err.kind === 'step_up_required') break;
      }
      setResults({ ...done });
    }
    setResults({ ...done });
    setBusy(false);
  };

  const targets = found ? found.accounts.filter((a) => a.account !== me.id).length : 0;
  const appliedCount = Object.values(results).filter((r) => r.applied).length;
  return (
    <section class="console" aria-labelledby="touched-title">
      <h1 id="touched-title">{t('console.touched.title')}</h1>
      <p>{t('console.touched.help')}</p>
      <form class="search-form" onSubmit={find}>
        <span class="wide">
          <label for="touched-patients">{t('console.touched.patients')}</label>
          <textarea
            id="touched-patients"
            required
            rows={4}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </span>
        <span>
          <label for="touched-from">{t('console.audit.from')}</label>
          <input id="touched-from" type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </span>
        <span>
          <label for="touched-until">{t('console.audit.until')}</label>
          <input
            id="touched-until"
            type="datetime-local"
            value={until}
            onInput={(e) => setUntil(e.currentTarget.value)}
          />
        </span>
        <span class="submit">
          <button type="submit" class="primary" disabled={busy}>
            {t('console.touched.find')}
          </button>
        </span>
      </form>
      <ErrorLine message={error} />
      {found && (
        <>
          <p role="status">
            {t('console.touched.found', { accounts: found.accounts.length, patients: found.patients })}
          </p>
          {found.partial && (
            <p class="notice">{t('console.touched.partial', { entries: MAX_PAGES_PER_PATIENT * 100 })}</p>
          )}
          {found.accounts.length > 0 && (
            <>
              <table data-testid="touched-accounts">
                <HeadRow
                  labels={[
                    t('console.alerts.account'),
                    t('console.touched.patientsReached'),
                    t('console.touched.entries'),
                    t('console.touched.result'),
                  ]}
                />
                <tbody>
                  {found.accounts.map((a) => (
                    <tr key={a.account}>
                      <th scope="row">
                        <a href={href(`/console/accounts/${encodeURIComponent(a.account)}`)}>
                          {a.username || a.account}
                        </a>
                      </th>
                      <td>{a.patients}</td>
                      <td>{a.entries}</td>
                      <td>{results[a.account]?.text ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div class="actions">
                <label for="touched-action">{t('console.touched.action')}</label>
                <select
                  id="touched-action"
                  value={action}
                  onChange={(e) => setAction(e.currentTarget.value as ContainmentAction)}
                >
                  {CONTAINMENT_ACTIONS.map((a) => (
                    <option key={a} value={a}>
                      {t(`contain.${a}`)}
                    </option>
                  ))}
                </select>
                <button type="button" class="danger" disabled={busy || targets === 0} onClick={() => void applyToAll()}>
                  {t('console.touched.apply', { count: targets })}
                </button>
              </div>
              {Object.keys(results).length > 0 && !busy && (
                <p role="status" data-testid="touched-done">
                  {t('console.touched.done', { count: appliedCount, total: targets })}
                </p>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}

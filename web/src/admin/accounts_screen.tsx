// Account administration: the list (no patient data anywhere: usernames, roles,
// organizations, states), creating an account, and per account suspend / reactivate /
// unlock / reset MFA / reset password. One-time passwords are shown once.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Role } from '../api/auth';
import { type MessageKey, t, valueLabel } from '../i18n';
import type { RouteProps } from '../shell/router';
import { ACCOUNT_ACTIONS, ROLES, act, createAccount, listAccounts, type Account, type AccountAction } from './api';
import '../console/console.css';
import { ErrorLine, HeadRow, errorText } from '../console/parts';

/** The actions that make sense for `a` in its present state. */
function actionsFor(a: Account): AccountAction[] {
  return ACCOUNT_ACTIONS.filter((action) => {
    if (action === 'suspend') return a.status !== 'suspended';
    if (action === 'reactivate') return a.status === 'suspended';
    if (action === 'unlock') return a.locked || a.status === 'locked';
    if (action === 'reset-mfa') return a.mfa_enrolled;
    return true;
  });
}

export function AccountsScreen(_props: RouteProps) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [oneTime, setOneTime] = useState<{ text: string; password: string } | null>(null);
  const [filter, setFilter] = useState('');
  const load = useCallback(() => {
    listAccounts()
      .then(setAccounts)
      .catch((e) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  const run = async (a: Account, action: AccountAction) => {
    setError('');
    setNotice('');
    setOneTime(null);
    try {
      const answer = await act(a.id, action);
      if (answer?.password)
        setOneTime({ text: t('admin.accounts.newPassword', { user: a.username }), password: answer.password });
      else setNotice(t('admin.accounts.done', { action: t(`admin.action.${action}` as MessageKey), user: a.username }));
      load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const shown = (accounts ?? []).filter((a) => a.username.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <section class="console" aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('admin.accounts.title')}</h1>
      <CreateAccount
        onCreated={(user, password) => {
          setNotice('');
          setOneTime({ text: t('admin.accounts.created', { user }), password });
          load();
        }}
        onError={setError}
      />
      <p role="status" class={notice ? 'notice' : 'sr-only'}>
        {notice}
      </p>
      {oneTime && (
        <div class="one-time" role="alert" data-testid="one-time-password">
          <p>{oneTime.text}</p>
          <p>
            <code>{oneTime.password}</code>
          </p>
          <p class="muted">{t('admin.accounts.oneTimeHelp')}</p>
        </div>
      )}
      <ErrorLine message={error} />
      <h2>{t('admin.accounts.count', { count: shown.length })}</h2>
      <label for="accounts-filter">{t('admin.accounts.filter')}</label>
      <input id="accounts-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      {accounts === null && !error && <p>{t('app.loading')}</p>}
      {accounts && (
        <table data-testid="accounts">
          <HeadRow
            labels={[
              t('admin.accounts.username'),
              t('admin.accounts.role'),
              t('admin.accounts.organization'),
              t('admin.accounts.status'),
              t('admin.accounts.mfa'),
              t('admin.accounts.actions'),
            ]}
          />
          <tbody>
            {shown.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.username}</th>
                <td>{t(`role.${a.role}` as MessageKey)}</td>
                <td>
                  <code>{a.organization}</code>
                </td>
                <td>
                  {valueLabel('status', a.status)}
                  {a.locked && `, ${t('admin.accounts.locked')}`}
                  {a.password_change_required && `, ${t('admin.accounts.mustChange')}`}
                </td>
                <td>{a.mfa_enrolled ? t('admin.accounts.enrolled') : t('admin.accounts.notEnrolled')}</td>
                <td>
                  <div class="row-actions">
                    {actionsFor(a).map((action) => (
                      <button
                        key={action}
                        type="button"
                        onClick={() => run(a, action)}
                        aria-label={`${t(`admin.action.${action}` as MessageKey)} — ${a.username}`}
                      >
                        {t(`admin.action.${action}` as MessageKey)}
                      </button>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CreateAccount(props: {
  onCreated: (username: string, password: string) => void;
  onError: (m: string) => void;
}) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('physician');
  const [organization, setOrganization] = useState('');
  const [practitioner, setPractitioner] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    props.onError('');
    try {
      const created = await createAccount({
        username: username.trim(),
        role,
        organization: organization.trim(),
        practitioner: practitioner.trim(),
      });
      props.onCreated(created.username, created.password);
      setUsername('');
      setPractitioner('');
    } catch (err) {
      props.onError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const practice = role === 'physician' || role === 'nurse' || role === 'secretary';
  return (
    <details class="create-account" open>
      <summary>{t('admin.accounts.create')}</summary>
      <form class="search-form" onSubmit={submit}>
        <span>
          <label for="new-username">{t('admin.accounts.username')}</label>
          <input
            id="new-username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            autocomplete="off"
          />
        </span>
        <span>
          <label for="new-role">{t('admin.accounts.role')}</label>
          <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label for="new-organization">{t('admin.accounts.organization')}</label>
          <input
            id="new-organization"
            required={practice}
            value={organization}
            onInput={(e) => setOrganization(e.currentTarget.value)}
            autocomplete="off"
          />
        </span>
        <span>
          <label for="new-practitioner">{t('admin.accounts.practitioner')}</label>
          <input
            id="new-practitioner"
            value={practitioner}
            onInput={(e) => setPractitioner(e.currentTarget.value)}
            autocomplete="off"
          />
        </span>
        <span class="submit">
          <button type="submit" class="primary" disabled={busy}>
            {t('admin.accounts.createSubmit')}
          </button>
        </span>
      </form>
    </details>
  );
}

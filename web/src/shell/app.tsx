// The app shell: login until there is a session, then the navigation of the user's role
// and the screen the hash names. It owns the API client's hooks: a lost session returns
// to the login screen (and back to the same screen afterwards), a step-up request opens
// the TOTP prompt.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { logout, me as fetchMe, type Me } from '../api/auth';
import { setStepUpHandler, setUnauthenticatedHandler } from '../api/client';
import { language, onLanguageChange, setLanguage, t, type Language } from '../i18n';
import { LoginScreen } from '../login/login_screen';
import { dropAllDrafts, hasDrafts } from './drafts';
import { useIdleTimeout } from './idle';
import { href, match, navigate, useLocation } from './router';
import { homeOf, routes } from './routes';
import { SessionContext } from './session';
import { StepUpDialog, type StepUpRequest } from './step_up';

const DEFAULT_IDLE_SECONDS = 15 * 60;

type Phase = { kind: 'loading' } | { kind: 'login'; notice?: string } | { kind: 'app'; me: Me };

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [stepUp, setStepUp] = useState<StepUpRequest | null>(null);
  const [, setLanguageVersion] = useState(0);
  const location = useLocation();

  useEffect(() => onLanguageChange(() => setLanguageVersion((v) => v + 1)), []);

  useEffect(() => {
    setUnauthenticatedHandler(() => setPhase({ kind: 'login', notice: expiredNotice() }));
    setStepUpHandler(
      (message) =>
        new Promise<boolean>((resolve) =>
          setStepUp({
            message,
            settle: (confirmed) => {
              setStepUp(null);
              resolve(confirmed);
            },
          }),
        ),
    );
    fetchMe()
      .then((principal) => setPhase(principal ? { kind: 'app', me: principal } : { kind: 'login' }))
      .catch(() => setPhase({ kind: 'login', notice: t('app.networkError') }));
  }, []);

  const onIdle = useCallback(() => {
    // The server would end the session anyway; ending it now also revokes it.
    void logout().catch(() => {});
    setPhase({ kind: 'login', notice: expiredNotice() });
  }, []);
  const idleSeconds = phase.kind === 'app' ? (phase.me.expires_in ?? DEFAULT_IDLE_SECONDS) : 0;
  useIdleTimeout(idleSeconds || DEFAULT_IDLE_SECONDS, phase.kind === 'app' ? onIdle : noop);

  if (phase.kind === 'loading') return <p class="loading">{t('app.loading')}</p>;
  if (phase.kind === 'login')
    return (
      <>
        <Header />
        <LoginScreen notice={phase.notice} onLoggedIn={(principal) => setPhase({ kind: 'app', me: principal })} />
      </>
    );

  const me = phase.me;
  const allowed = routes.filter((r) => r.roles.includes(me.role));
  const home = homeOf(me.role);
  if ((location.path === '/' || location.path === '') && home !== '/') {
    navigate(home);
    return null;
  }
  let screen = <p class="error">{t(home === '/' ? 'app.noScreens' : 'app.notFound')}</p>;
  for (const route of routes) {
    const params = match(route.pattern, location.path);
    if (!params) continue;
    screen = route.roles.includes(me.role) ? (
      <route.component params={params} query={location.query} />
    ) : (
      <p class="error">{t('app.forbiddenScreen')}</p>
    );
    break;
  }
  const signOut = async () => {
    dropAllDrafts();
    await logout().catch(() => {});
    setPhase({ kind: 'login' });
  };
  return (
    <SessionContext.Provider value={me}>
      <Header me={me} onLogout={signOut} />
      <nav class="nav" aria-label={t('nav.main')}>
        <ul>
          {allowed
            .filter((r) => r.nav)
            .map((r) => (
              <li key={r.pattern}>
                <a href={href(r.pattern)} aria-current={location.path === r.pattern ? 'page' : undefined}>
                  {t(r.nav!)}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {screen}
      </main>
      {stepUp && <StepUpDialog request={stepUp} />}
    </SessionContext.Provider>
  );
}

function noop() {}

function expiredNotice(): string {
  return hasDrafts() ? `${t('app.sessionExpired')} ${t('login.draftKept')}` : t('app.sessionExpired');
}

function Header(props: { me?: Me; onLogout?: () => void }) {
  return (
    <header class="top">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      <span class="brand">{t('app.name')}</span>
      <label class="language">
        {t('app.language')}
        <select value={language()} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
          <option value="fr">Français</option>
          <option value="en">English</option>
        </select>
      </label>
      {props.me && (
        <>
          <span class="who">
            {t('app.signedInAs', { user: props.me.username, role: t(`role.${props.me.role}` as const) })}
          </span>
          <button type="button" onClick={props.onLogout}>
            {t('app.logout')}
          </button>
        </>
      )}
    </header>
  );
}

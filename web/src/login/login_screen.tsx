// Login: password, then the TOTP code. At first login the server offers enrolment
// instead: the QR code and key are shown, the first code completes enrolment, and the
// recovery codes the server answers with are shown once. A password reset by an
// administrator is changed here before anything else.
import { useState } from 'preact/hooks';
import { changePassword, login, me, verifyCode, type Enrolment, type Me } from '../api/auth';
import type { ApiError } from '../api/client';
import { t } from '../i18n';
import { errorText } from '../i18n/error_text';
import { Field, Submit } from '../shell/field';
import { loginErrorText } from './messages';
import { QrCode } from './qr';

type Step =
  | { kind: 'password' }
  | { kind: 'code'; challenge: string; enrol?: Enrolment; recovery: boolean }
  | { kind: 'recovery-codes'; codes: string[]; passwordChange: boolean }
  | { kind: 'password-change' };

export function LoginScreen(props: { notice?: string; onLoggedIn: (me: Me) => void }) {
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const finish = async () => {
    const principal = await me();
    if (principal) props.onLoggedIn(principal);
    else setError(t('app.sessionExpired'));
  };

  const run = (action: () => Promise<void>, wrongText: (error: ApiError) => string) => async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (err) {
      setError(loginErrorText(err, wrongText));
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = run(
    async () => {
      const answer = await login(username.trim(), password);
      setPassword('');
      setCode('');
      setStep({ kind: 'code', challenge: answer.challenge, enrol: answer.enroll, recovery: false });
    },
    () => t('login.wrong'),
  );

  const submitCode = run(
    async () => {
      if (step.kind !== 'code') return;
      const opened = await verifyCode(step.challenge, code.trim(), step.recovery);
      setCode('');
      const passwordChange = opened.password_change_required === true;
      if (opened.recovery_codes && opened.recovery_codes.length > 0) {
        setStep({ kind: 'recovery-codes', codes: opened.recovery_codes, passwordChange });
      } else if (passwordChange) {
        setStep({ kind: 'password-change' });
      } else {
        await finish();
      }
    },
    (err) => errorText(err),
  );

  const submitNewPassword = run(
    async () => {
      await changePassword(password, newPassword);
      setPassword('');
      setNewPassword('');
      await finish();
    },
    (err) => errorText(err),
  );

  const restart = () => {
    setStep({ kind: 'password' });
    setError('');
    setCode('');
  };

  const errorBox = error && (
    <p class="error" role="alert">
      {error}
    </p>
  );

  return (
    <main id="main" class="login">
      <h1>{t('login.title')}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {step.kind === 'password' && (
        <form onSubmit={submitPassword} aria-label={t('login.title')}>
          <Field
            id="login-username"
            label={t('login.username')}
            autocomplete="username"
            required
            autoFocus
            value={username}
            onValue={setUsername}
          />
          <Field
            id="login-password"
            label={t('login.password')}
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onValue={setPassword}
          />
          <Submit label={t('login.submit')} busy={busy} error={error} />
        </form>
      )}
      {step.kind === 'code' && (
        <form onSubmit={submitCode} aria-label={t('login.title')}>
          {step.enrol && (
            <section class="enrol" aria-labelledby="enrol-title">
              <h2 id="enrol-title">{t('login.enrolTitle')}</h2>
              <p>{t('login.enrolHelp')}</p>
              <QrCode svg={step.enrol.qr_svg} label={t('login.enrolQr')} />
              <p>
                {t('login.enrolSecret')} : <code class="secret">{step.enrol.secret}</code>
              </p>
            </section>
          )}
          <Field
            id="login-code"
            label={step.recovery ? t('login.recoveryCode') : t('login.code')}
            inputMode={step.recovery ? 'text' : 'numeric'}
            autocomplete="one-time-code"
            required
            autoFocus
            value={code}
            onValue={setCode}
          />
          {errorBox}
          <div class="actions">
            <button type="button" onClick={restart}>
              {t('login.restart')}
            </button>
            {!step.enrol && (
              <button type="button" onClick={() => setStep({ ...step, recovery: !step.recovery })}>
                {step.recovery ? t('login.useTotp') : t('login.useRecovery')}
              </button>
            )}
            <button type="submit" class="primary" disabled={busy}>
              {t('login.codeSubmit')}
            </button>
          </div>
        </form>
      )}
      {step.kind === 'recovery-codes' && (
        <section aria-labelledby="recovery-title">
          <h2 id="recovery-title">{t('login.recoveryTitle')}</h2>
          <p>{t('login.recoveryHelp')}</p>
          <ol class="recovery-codes">
            {step.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          {errorBox}
          <button
            type="button"
            class="primary"
            autoFocus
            onClick={() => (step.passwordChange ? setStep({ kind: 'password-change' }) : void finish())}
          >
            {t('login.recoveryDone')}
          </button>
        </section>
      )}
      {step.kind === 'password-change' && (
        <form onSubmit={submitNewPassword} aria-labelledby="password-change-title">
          <h2 id="password-change-title">{t('login.passwordChange')}</h2>
          <Field
            id="current-password"
            label={t('login.currentPassword')}
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onValue={setPassword}
          />
          <Field
            id="new-password"
            label={t('login.newPassword')}
            type="password"
            autocomplete="new-password"
            required
            value={newPassword}
            onValue={setNewPassword}
          />
          <Submit label={t('login.changePassword')} busy={busy} error={error} />
        </form>
      )}
    </main>
  );
}

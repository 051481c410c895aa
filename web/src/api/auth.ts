// The login endpoints (/auth/*). See the server's src/api/auth_api.cc.
import { clearCsrfToken, request, setCsrfToken } from './client';

export type Role = 'physician' | 'nurse' | 'secretary' | 'security_officer' | 'admin';

export interface Me {
  id: string;
  username: string;
  role: Role;
  organization: string;
  practitioner: string;
  session: string;
  stepped_up: boolean;
  password_change_required: boolean;
  recovery_codes_left: number;
  break_glass_left: number;
  csrf_token?: string;
  /** The server's idle timeout, in seconds. */
  expires_in?: number;
}

export interface Enrolment {
  otpauth_uri: string;
  secret: string;
  qr_svg: string;
}

export interface LoginChallenge {
  challenge: string;
  mfa?: 'totp';
  enroll?: Enrolment;
  expires_in: number;
}

export interface SessionOpened {
  expires_in: number;
  csrf_token: string;
  password_change_required?: boolean;
  recovery_codes?: string[];
}

export async function login(username: string, password: string): Promise<LoginChallenge> {
  const r = await request<LoginChallenge>('/auth/login', {
    method: 'POST',
    body: { username, password },
    handleUnauthenticated: false,
  });
  return r.body;
}

export async function verifyCode(challenge: string, code: string, recovery = false): Promise<SessionOpened> {
  const body = recovery ? { challenge, recovery_code: code } : { challenge, code };
  const r = await request<SessionOpened & { access_token?: string }>('/auth/mfa', {
    method: 'POST',
    body,
    handleUnauthenticated: false,
  });
  // The bearer token is for API clients; the browser uses the HttpOnly cookie the same
  // answer set, so the token is dropped here and never stored.
  const { access_token: _dropped, ...opened } = r.body;
  setCsrfToken(opened.csrf_token);
  return opened;
}

/** The current principal, or null when there is no session. */
export async function me(): Promise<Me | null> {
  try {
    const r = await request<Me>('/auth/me', { handleUnauthenticated: false });
    if (r.body.csrf_token) setCsrfToken(r.body.csrf_token);
    return r.body;
  } catch (e) {
    if (e instanceof Error && 'kind' in e && (e as { kind: string }).kind === 'unauthenticated') return null;
    throw e;
  }
}

export async function stepUp(code: string): Promise<void> {
  await request('/auth/step-up', { method: 'POST', body: { code }, handleUnauthenticated: false });
}

export async function changePassword(current: string, next: string): Promise<void> {
  await request('/auth/password', { method: 'POST', body: { current, new: next } });
}

export async function logout(): Promise<void> {
  try {
    await request('/auth/logout', { method: 'POST', handleUnauthenticated: false });
  } finally {
    clearCsrfToken();
  }
}

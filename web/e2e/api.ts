// A plain API client for the test's own set-up (what a user would learn elsewhere, such
// as a patient of another practice): bearer token over TLS, trusting the demo's
// self-signed certificate.
import { request } from 'node:https';
import { freshCode } from './suite.js';
import type { DemoAccount, DemoServer } from './server.js';

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function send(server: DemoServer, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const url = new URL(path, server.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolvePromise, reject) => {
    const req = request(
      url,
      {
        method,
        ca: server.certificate,
        headers: {
          ...(payload ? { 'Content-Type': 'application/json' } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          'User-Agent': 'medvault-e2e-setup',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export class ApiSession {
  private constructor(
    private readonly server: DemoServer,
    private readonly token: string,
  ) {}

  /**
   * Logs in with a code of a step the account has not used yet (freshCode: the server
   * takes each step once per account, and a later login in the browser must not meet
   * the same step again).
   */
  static async open(server: DemoServer, account: DemoAccount): Promise<ApiSession> {
    const login = await send(server, 'POST', '/auth/login', { username: account.username, password: account.password });
    if (login.status !== 200)
      throw new Error(`login ${account.username}: ${login.status} ${JSON.stringify(login.body)}`);
    const mfa = await send(server, 'POST', '/auth/mfa', {
      challenge: login.body.challenge,
      code: await freshCode(account),
    });
    if (mfa.status !== 200) throw new Error(`mfa ${account.username}: ${mfa.status} ${JSON.stringify(mfa.body)}`);
    return new ApiSession(server, mfa.body.access_token);
  }

  get(path: string): Promise<Answer> {
    return send(this.server, 'GET', path, undefined, this.token);
  }

  post(path: string, body?: unknown): Promise<Answer> {
    return send(this.server, 'POST', path, body, this.token);
  }
}

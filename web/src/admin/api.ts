// The administrator's endpoints (/admin/accounts, src/api/admin_api.cc): accounts only,
// never patient data. Every change is a sensitive operation (the server asks for a
// fresh code; the API client opens the step-up prompt).
import { get, request } from '../api/client';
import type { Role } from '../api/auth';

export interface Account {
  id: string;
  username: string;
  role: Role;
  organization: string;
  practitioner: string;
  status: string;
  locked: boolean;
  mfa_enrolled: boolean;
  password_change_required: boolean;
}

export const ROLES: readonly Role[] = ['physician', 'nurse', 'secretary', 'security_officer', 'admin'];
export const ACCOUNT_ACTIONS = ['suspend', 'reactivate', 'unlock', 'reset-mfa', 'reset-password'] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export async function listAccounts(): Promise<Account[]> {
  return (await get<{ accounts: Account[] }>('/admin/accounts')).accounts;
}

export interface NewAccount {
  username: string;
  role: Role;
  organization?: string;
  practitioner?: string;
}

/** The created account and its one-time password (to be changed at first login). */
export async function createAccount(account: NewAccount): Promise<{ id: string; username: string; password: string }> {
  const body: Record<string, string> = { username: account.username, role: account.role };
  if (account.organization) body.organization = account.organization;
  if (account.practitioner) body.practitioner = account.practitioner;
  return (
    await request<{ id: string; username: string; password: string }>('/admin/accounts', { method: 'POST', body })
  ).body;
}

/** reset-password answers the new one-time password; the other actions nothing. */
export async function act(id: string, action: AccountAction): Promise<{ password?: string } | null> {
  return (
    await request<{ password?: string } | null>(`/admin/accounts/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
    })
  ).body;
}

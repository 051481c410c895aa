// The administrator's screens: accounts (create, suspend, unlock, reset MFA); never
// patient data (see shell/router.ts for RouteDef).
import type { RouteDef } from '../shell/router';
import { AccountsScreen } from './accounts_screen';

export const adminRoutes: RouteDef[] = [
  { pattern: '/admin/accounts', component: AccountsScreen, roles: ['admin'], nav: 'nav.admin' },
];

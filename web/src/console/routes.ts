// The security officer's console: live alerts, an account's activity, audit search,
// containment by patient set, breach report (with the art. 34 list), self-check (see shell/router.ts for RouteDef).
import type { RouteDef } from '../shell/router';
import { ActivityScreen } from './activity_screen';
import { AlertsScreen } from './alerts_screen';
import { AuditScreen } from './audit_screen';
import { BreachScreen } from './breach_screen';
import { ContainPatientsScreen } from './contain_patients_screen';
import { SelfCheckScreen } from './selfcheck_screen';

const OFFICER = ['security_officer'] as const;

export const consoleRoutes: RouteDef[] = [
  { pattern: '/console/alerts', component: AlertsScreen, roles: OFFICER, nav: 'nav.alerts' },
  { pattern: '/console/audit', component: AuditScreen, roles: OFFICER, nav: 'nav.audit' },
  { pattern: '/console/contain-patients', component: ContainPatientsScreen, roles: OFFICER, nav: 'nav.touched' },
  { pattern: '/console/breach', component: BreachScreen, roles: OFFICER, nav: 'nav.breach' },
  { pattern: '/console/selfcheck', component: SelfCheckScreen, roles: OFFICER, nav: 'nav.selfcheck' },
  { pattern: '/console/accounts/:id', component: ActivityScreen, roles: OFFICER },
];

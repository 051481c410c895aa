// The practice's screens: physicians and nurses see patients; secretaries see the
// administrative screens only (the patient list and identity, never clinical data).
import type { Role } from '../api/auth';
import type { RouteDef } from '../shell/router';
import { TodayScreen } from './today_screen';

export const CARE_ROLES: readonly Role[] = ['physician', 'nurse'];
export const PRACTICE_ROLES: readonly Role[] = ['physician', 'nurse', 'secretary'];

export const clinicianRoutes: RouteDef[] = [
  { pattern: '/today', component: TodayScreen, roles: PRACTICE_ROLES, nav: 'nav.today' },
];

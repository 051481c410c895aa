// The practice's screens: physicians and nurses see patients' records; secretaries see
// the administrative screens only (lists, search, identity and contact).
import type { RouteDef } from '../shell/router';
import { PatientScreen } from './patient_screen';
import { PRACTICE_ROLES } from './roles';
import { SearchScreen } from './search_screen';
import { TodayScreen } from './today_screen';

export const clinicianRoutes: RouteDef[] = [
  { pattern: '/today', component: TodayScreen, roles: PRACTICE_ROLES, nav: 'nav.today' },
  { pattern: '/search', component: SearchScreen, roles: PRACTICE_ROLES, nav: 'nav.search' },
  { pattern: '/patients/:id', component: PatientScreen, roles: PRACTICE_ROLES },
];

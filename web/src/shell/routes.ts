// The route table: every screen of the app. The clinician screens are defined in
// clinician/routes.ts, the security console's in console/routes.ts and the admin
// screens in admin/routes.ts; each area owns its list and this file only joins them.
import type { Role } from '../api/auth';
import { adminRoutes } from '../admin/routes';
import { clinicianRoutes } from '../clinician/routes';
import { consoleRoutes } from '../console/routes';
import type { RouteDef } from './router';

export const routes: readonly RouteDef[] = [...clinicianRoutes, ...consoleRoutes, ...adminRoutes];

/** Where a role lands after logging in (and on `#/`). */
export function homeOf(role: Role): string {
  const first = routes.find((r) => r.nav && r.roles.includes(role) && !r.pattern.includes(':'));
  return first ? first.pattern : '/';
}

// The security officer's console: alerts, activity, audit search, breach report,
// self-check. Screens are added here (see shell/router.ts for RouteDef).
import type { RouteDef } from '../shell/router';

export const consoleRoutes: RouteDef[] = [];

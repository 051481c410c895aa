// The administrator's screens: accounts (create, suspend, unlock, reset MFA); never
// patient data. Screens are added here (see shell/router.ts for RouteDef).
import type { RouteDef } from '../shell/router';

export const adminRoutes: RouteDef[] = [];

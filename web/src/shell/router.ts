// A small hash router: the app's screens live under `#/…`, so a reload or a bookmark
// never sends an app path to the server (where /admin/… and /security/… are API routes).
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Role } from '../api/auth';
import type { MessageKey } from '../i18n';

export interface RouteProps {
  /** The `:name` parts of the matched pattern, decoded. */
  params: Record<string, string>;
  /** The query after `?` in the hash, e.g. `#/search?q=dupont`. */
  query: URLSearchParams;
}

export interface RouteDef {
  /** `/patients/:id`: literal segments and `:name` parameters. */
  pattern: string;
  component: ComponentType<RouteProps>;
  /** Who may open the screen; the server decides what it shows them anyway. */
  roles: readonly Role[];
  /** Shown in the navigation when set (only to `roles`). */
  nav?: MessageKey;
}

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function currentLocation(): Location {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const q = hash.indexOf('?');
  return {
    path: q < 0 ? hash : hash.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)),
  };
}

export function navigate(path: string): void {
  window.location.hash = path;
}

/** The href of an app path, for <a> elements (links stay keyboard- and middle-click-friendly). */
export function href(path: string): string {
  return `#${path}`;
}

export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

/** The current location, re-rendering on every hash change. */
export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return location;
}

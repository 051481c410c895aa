// The signed-in principal, shared by every screen through a context.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from '../api/auth';

export const SessionContext = createContext<Me | null>(null);

/** The principal of the current session; screens render only inside a session. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe outside a session');
  return me;
}

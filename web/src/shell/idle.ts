// The idle timeout on the browser's side. The server ends a session left unused for its
// idle timeout (15 minutes by default, `expires_in` of /auth/me); the app leaves for the
// login screen a little before that, so that nothing is typed into a dead session.
// Keystrokes, clicks and scrolling count as use.
import { useEffect } from 'preact/hooks';

const EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
const MARGIN_SECONDS = 15;

export function useIdleTimeout(seconds: number, onIdle: () => void): void {
  useEffect(() => {
    const limitMs = Math.max(30, seconds - MARGIN_SECONDS) * 1000;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    EVENTS.forEach((name) => window.addEventListener(name, touch, { passive: true }));
    const timer = window.setInterval(() => {
      if (Date.now() - last >= limitMs) onIdle();
    }, 5000);
    return () => {
      EVENTS.forEach((name) => window.removeEventListener(name, touch));
      window.clearInterval(timer);
    };
  }, [seconds, onIdle]);
}

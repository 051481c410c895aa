// The browser tests: one demo server and one Chromium for every spec, run in order.
// A new spec is a module that registers its tests with node:test (describe/test) and
// uses suite() for the server, the browser and the accounts; import it below.
import { after, before } from 'node:test';
import { startSuite, stopSuite } from './suite.js';

before(startSuite, { timeout: 600_000 });
after(stopSuite);

await import('./clinician.spec.js');
await import('./console.spec.js');
await import('./language.spec.js');
await import('./idle.spec.js');
// Keep last: its failed logins slow down later logins from this address.
await import('./login_refusals.spec.js');

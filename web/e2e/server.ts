// The real medvault binary, started on a fresh demo data directory on an ephemeral port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DemoAccount {
  username: string;
  password: string;
  role: string;
  organization: string;
  totp_secret: string;
}

export interface DemoServer {
  url: string;
  dataDir: string;
  accounts: DemoAccount[];
  certificate: string;
  stop(): Promise<void>;
}

// The repository, from web/node_modules/.cache/e2e where the compiled tests run.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The binary to test: MEDVAULT_BIN, else the ASan build `make test` makes. */
export function medvaultBinary(): string {
  return process.env.MEDVAULT_BIN ?? join(repo, 'build/asan/medvault');
}

// Starts `command` and resolves with the URL it prints once it serves (and, for the demo,
// once it has printed its accounts).
function serving(child: ChildProcess, ready: (output: string) => boolean, timeoutMs: number): Promise<string> {
  let output = '';
  return new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`medvault did not start in time:\n${output}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const served = /serving (https:\/\/[^\s]+)/.exec(output);
      if (served && ready(output)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolvePromise(served[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`medvault exited with ${code}:\n${output}`));
    });
  });
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    child.once('exit', (code) => done(code));
    child.kill('SIGTERM');
  });
}

// The detector weighs activity against local working hours, and a brand-new account has
// no habits yet: the same honest scenario run at 23:00 is rightly out of hours and
// escalates. So that the scenario means the same whenever CI runs it, the practice's
// local time is pinned to midday for the run ([detection] local_time_offset_minutes).
function middayOffsetMinutes(now = new Date()): number {
  return 12 * 60 - (now.getUTCHours() * 60 + now.getUTCMinutes());
}

/**
 * A demo data directory (`medvault demo`: population, accounts), then `medvault serve` on
 * it with the practice's local time pinned to midday.
 */
export async function startDemo(args: string[], timeoutMs = 600_000): Promise<DemoServer> {
  const root = mkdtempSync(join(tmpdir(), 'medvault-e2e-'));
  const dataDir = join(root, 'demo');
  const listen = ['--listen', '127.0.0.1:0'];
  const demo = spawn(medvaultBinary(), ['demo', '--data', dataDir, ...listen, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await serving(demo, (output) => output.includes('stop with Ctrl-C'), timeoutMs);
  const demoExit = await stopped(demo);
  if (demoExit !== 0) throw new Error(`medvault demo exited with ${demoExit}`);

  const configFile = join(dataDir, 'medvault.toml');
  const config = readFileSync(configFile, 'utf8');
  const pinned = config.replace(
    /^local_time_offset_minutes = .*$/m,
    `local_time_offset_minutes = ${middayOffsetMinutes()}`,
  );
  if (pinned === config) throw new Error(`no local_time_offset_minutes in ${configFile}`);
  // The app under test is this tree's web/dist, whichever tree the binary was built in
  // (its default web root is its own source tree's).
  const served = pinned.replace(/^root = "".*$/m, `root = ${JSON.stringify(join(repo, 'web/dist'))}`);
  if (served === pinned) throw new Error(`no [web] root in ${configFile}`);
  writeFileSync(configFile, served);

  const child: ChildProcess = spawn(medvaultBinary(), ['serve', '--data', dataDir, ...listen], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await serving(child, () => true, timeoutMs);
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const accounts = JSON.parse(readFileSync(join(dataDir, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
  return {
    url,
    dataDir,
    accounts,
    certificate: readFileSync(join(dataDir, 'tls/server.crt'), 'utf8'),
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', (code, signal) => {
          rmSync(root, { recursive: true, force: true });
          if (code !== 0 && signal === null) console.error(`medvault exited with ${code}:\n${log}`);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

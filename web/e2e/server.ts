// The real medvault binary, started on a fresh demo data directory on an ephemeral port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

export async function startDemo(args: string[], timeoutMs = 600_000): Promise<DemoServer> {
  const root = mkdtempSync(join(tmpdir(), 'medvault-e2e-'));
  const dataDir = join(root, 'demo');
  const child: ChildProcess = spawn(medvaultBinary(), ['demo', '--data', dataDir, '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`medvault demo did not start in time:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const served = /serving (https:\/\/[^\s]+)/.exec(output);
      if (served && output.includes('stop with Ctrl-C')) {
        clearTimeout(timer);
        resolvePromise(served[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`medvault demo exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
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
          if (code !== 0 && signal === null) console.error(`medvault exited with ${code}:\n${output}`);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

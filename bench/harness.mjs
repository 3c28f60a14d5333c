// What every benchmark that starts processes shares: a throwaway folder, child
// processes in their own groups stopped on every exit path, a deadline, a free
// loopback port, running a node script to completion, and starting a server
// and waiting until it answers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function benchHarness(name, { deadlineMs = 15 * 60_000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keyhold-bench-${name}-`));
  const children = [];
  process.on('exit', () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM'); // its whole group: start.mjs and the server it started
        } catch {
          child.kill('SIGTERM');
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  setTimeout(() => {
    console.error(`bench/${name}: gave up after ${deadlineMs / 60_000} minutes`);
    process.exit(1);
  }, deadlineMs).unref();

  /** Runs a node script to completion in its own group; resolves with its stdout. */
  function runNode(args, env) {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
      children.push(child);
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`node ${args.join(' ')} exited ${code}`))));
    });
  }

  /** Starts a long-running node process in its own group; resolves once `ready(url)` answers. */
  async function startServer(args, port, env, ready, what) {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.push(child);
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (log += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (log += c));
    const deadline = Date.now() + 10 * 60_000; // a first `next build` takes a while
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode}:\n${log.slice(-3000)}`);
      try {
        if (await ready(`http://127.0.0.1:${port}`)) return child;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what} was not ready in time:\n${log.slice(-3000)}`);
  }

  return { dir, runNode, startServer };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export const lastJsonLine = (out) => JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).pop());

// Runs the real `keyhold` CLI (node cli/bin.cjs, the package's bin: the bundle
// when it is fresh, else the sources) as a child process.
// Asynchronous on purpose: the API server of the test runs in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../cli/bin.cjs');

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

export type CliOptions = {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called once the process is started (e.g. to signal it later). */
  onSpawn?: (child: ChildProcess) => void;
  timeoutMs?: number;
};

/** The environment a CLI child gets: this process's, minus any KEYHOLD_* of the developer's shell. */
function childEnv(extra: Record<string, string | undefined>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('KEYHOLD_') && !key.startsWith('DOTENV_')) env[key] = value;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runNode([CLI, ...args], options);
}

/** Runs `node <args>` (a script and its arguments) as a child process, like runCli. */
export function runNode(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: childEnv(options.env ?? {}) as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not finish within ${options.timeoutMs ?? 20_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
}

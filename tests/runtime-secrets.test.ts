import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { MAKE_KEY_HINT, parseKeyring } from '@/lib/crypto/keyring';

// lib/runtime-secrets.ts reads KEYHOLD_DATA_DIR when it is imported, so every
// test sets the environment first and then imports a fresh copy of the module.

const ENV_KEYS = ['KEYHOLD_DATA_DIR', 'KEYHOLD_MASTER_KEY', 'NEXTAUTH_SECRET'] as const;

let savedEnv: Record<string, string | undefined>;
let savedCwd: string;
let tmp: string;
let dataDir: string;
let warn: MockInstance<typeof console.warn>;

async function load() {
  vi.resetModules();
  return (await import('@/lib/runtime-secrets')).resolveRuntimeSecrets;
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const warnings = () => warn.mock.calls.map((args) => args.map(String).join(' '));

beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  savedCwd = process.cwd();
  for (const key of ENV_KEYS) delete process.env[key];
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-runtime-'));
  dataDir = path.join(tmp, 'data-dir');
  process.env.KEYHOLD_DATA_DIR = dataDir;
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(() => {
  warn.mockRestore();
  process.chdir(savedCwd);
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  vi.resetModules();
});

describe('development (production = false)', () => {
  it('generates master.key and auth.secret once, mode 0600, and warns without printing them', async () => {
    const resolve = await load();
    expect(fs.existsSync(dataDir)).toBe(false);

    expect(resolve(false)).toBeNull();

    const masterFile = path.join(dataDir, 'master.key');
    const authFile = path.join(dataDir, 'auth.secret');
    expect(modeOf(masterFile)).toBe(0o600);
    expect(modeOf(authFile)).toBe(0o600);
    expect(modeOf(dataDir)).toBe(0o700);

    const master = fs.readFileSync(masterFile, 'utf8');
    const auth = fs.readFileSync(authFile, 'utf8');
    expect(master).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(auth).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(master).not.toBe(auth);

    // The process now has them, and the master key is a usable keyring.
    expect(process.env.KEYHOLD_MASTER_KEY).toBe(master.trim());
    expect(process.env.NEXTAUTH_SECRET).toBe(auth.trim());
    const ring = parseKeyring(process.env.KEYHOLD_MASTER_KEY!);
    expect(ring.current).toBe(1);
    expect(ring.keys.get(1)).toHaveLength(32);

    // One warning per generated secret, naming the file but never the value.
    const lines = warnings();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('[keyhold] WARNING: no KEYHOLD_MASTER_KEY configured');
    expect(lines[0]).toContain('master.key');
    expect(lines[1]).toContain('[keyhold] WARNING: no NEXTAUTH_SECRET configured');
    expect(lines[1]).toContain('auth.secret');
    for (const line of lines) {
      expect(line).toContain('Set it in the environment for production');
      expect(line).not.toContain(master.trim());
      expect(line).not.toContain(auth.trim());
    }
  });

  it('a second call in the same process changes nothing', async () => {
    const resolve = await load();
    expect(resolve(false)).toBeNull();
    const master = process.env.KEYHOLD_MASTER_KEY;
    const auth = process.env.NEXTAUTH_SECRET;
    const before = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8');
    warn.mockClear();

    expect(resolve(false)).toBeNull();
    expect(process.env.KEYHOLD_MASTER_KEY).toBe(master);
    expect(process.env.NEXTAUTH_SECRET).toBe(auth);
    expect(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['auth.secret', 'master.key']);
    expect(warn).not.toHaveBeenCalled();
  });

  it('a restart (fresh environment and module) reuses the generated files silently', async () => {
    expect((await load())(false)).toBeNull();
    const master = process.env.KEYHOLD_MASTER_KEY;
    const auth = process.env.NEXTAUTH_SECRET;
    const masterStat = fs.statSync(path.join(dataDir, 'master.key'));
    warn.mockClear();

    // Simulate a new process: the generated values are no longer in the environment.
    delete process.env.KEYHOLD_MASTER_KEY;
    delete process.env.NEXTAUTH_SECRET;
    const resolve = await load();
    expect(resolve(false)).toBeNull();

    expect(process.env.KEYHOLD_MASTER_KEY).toBe(master);
    expect(process.env.NEXTAUTH_SECRET).toBe(auth);
    expect(fs.statSync(path.join(dataDir, 'master.key')).mtimeMs).toBe(masterStat.mtimeMs);
    expect(modeOf(path.join(dataDir, 'master.key'))).toBe(0o600);
    expect(warn).not.toHaveBeenCalled();
  });

  it('a configured master key is used as is: only the missing auth secret is generated', async () => {
    const configured = randomBytes(32).toString('base64');
    process.env.KEYHOLD_MASTER_KEY = configured;
    const resolve = await load();

    expect(resolve(false)).toBeNull();
    expect(process.env.KEYHOLD_MASTER_KEY).toBe(configured);
    expect(fs.existsSync(path.join(dataDir, 'master.key'))).toBe(false);
    expect(fs.readdirSync(dataDir)).toEqual(['auth.secret']);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('NEXTAUTH_SECRET');
  });

  it('with both configured it writes nothing and does not warn', async () => {
    process.env.KEYHOLD_MASTER_KEY = randomBytes(32).toString('base64');
    process.env.NEXTAUTH_SECRET = 'configured-auth-secret';
    expect((await load())(false)).toBeNull();
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });

  it('defaults to data/ under the working directory when KEYHOLD_DATA_DIR is unset', async () => {
    delete process.env.KEYHOLD_DATA_DIR;
    process.chdir(tmp);
    const resolve = await load();
    expect(resolve(false)).toBeNull();
    expect(modeOf(path.join(tmp, 'data', 'master.key'))).toBe(0o600);
    expect(modeOf(path.join(tmp, 'data', 'auth.secret'))).toBe(0o600);
    expect(warnings()[0]).toContain(path.join('data', 'master.key'));
  });

  it('an invalid configured master key gives a message, and generates nothing', async () => {
    const bad = 'not-a-valid-key-but-secret-looking-text';
    process.env.KEYHOLD_MASTER_KEY = bad;
    const message = (await load())(false);
    expect(message).toBe(`KEYHOLD_MASTER_KEY must be 32 random bytes in base64 (44 characters). Make one with: ${MAKE_KEY_HINT}`);
    expect(message).not.toContain(bad);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('a corrupted master.key file gives a message instead of starting', async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'master.key'), 'c2hvcnQ=\n', { mode: 0o600 });
    const message = (await load())(false);
    expect(message).toBe(`KEYHOLD_MASTER_KEY must be 32 random bytes in base64 (44 characters). Make one with: ${MAKE_KEY_HINT}`);
    expect(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8')).toBe('c2hvcnQ=\n');
  });
});

describe('production (production = true)', () => {
  it('without KEYHOLD_MASTER_KEY refuses with how to make one, and writes no file', async () => {
    const message = (await load())(true);
    expect(message).toBe(`KEYHOLD_MASTER_KEY is not set. Make one with: ${MAKE_KEY_HINT} and keep it safe.`);
    expect(message).toContain(`node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`);
    expect(message).not.toContain('\n');
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(process.env.KEYHOLD_MASTER_KEY).toBeUndefined();
    expect(process.env.NEXTAUTH_SECRET).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('does not fall back to a development master.key file', async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'master.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    expect((await load())(true)).toBe(`KEYHOLD_MASTER_KEY is not set. Make one with: ${MAKE_KEY_HINT} and keep it safe.`);
    expect(process.env.KEYHOLD_MASTER_KEY).toBeUndefined();
  });

  it('without NEXTAUTH_SECRET refuses with a message, and writes no file', async () => {
    process.env.KEYHOLD_MASTER_KEY = randomBytes(32).toString('base64');
    const message = (await load())(true);
    expect(message).toBe(`NEXTAUTH_SECRET is not set. Make one with: ${MAKE_KEY_HINT}`);
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(process.env.NEXTAUTH_SECRET).toBeUndefined();
  });

  it('an invalid KEYHOLD_MASTER_KEY gives a one-line message without the key', async () => {
    const short = randomBytes(16).toString('base64');
    process.env.KEYHOLD_MASTER_KEY = short;
    process.env.NEXTAUTH_SECRET = 'configured-auth-secret';
    const message = (await load())(true);
    expect(message).toBe(`KEYHOLD_MASTER_KEY must be 32 random bytes in base64 (44 characters). Make one with: ${MAKE_KEY_HINT}`);
    expect(message).not.toContain(short);
    expect(message).not.toContain('\n');
  });

  it('an invalid versioned list names the version', async () => {
    const good = randomBytes(32).toString('base64');
    process.env.KEYHOLD_MASTER_KEY = `1:${good},1:${good}`;
    process.env.NEXTAUTH_SECRET = 'configured-auth-secret';
    const message = (await load())(true);
    expect(message).toBe(`master key version 1 is listed twice. Make one with: ${MAKE_KEY_HINT}`);
    expect(message).not.toContain(good);
  });

  it('with both configured returns null and writes nothing', async () => {
    const v1 = randomBytes(32).toString('base64');
    const v2 = randomBytes(32).toString('base64');
    process.env.KEYHOLD_MASTER_KEY = `1:${v1},2:${v2}`;
    process.env.NEXTAUTH_SECRET = 'configured-auth-secret';
    expect((await load())(true)).toBeNull();
    expect(process.env.KEYHOLD_MASTER_KEY).toBe(`1:${v1},2:${v2}`);
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });
});

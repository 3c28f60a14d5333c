import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { updateDeployHookAction } from '@/lib/deploys/actions';
import { HOOK_PRIVATE_ADDRESS, isInternalAddress, setHooksAllowPrivate } from '@/lib/deploys/hook-address';
import { redeploy, updateDeployHook } from '@/lib/deploys/mutations';
import { MESSAGES } from '@/lib/deploys/schemas';
import { createSecret } from '@/lib/secrets/mutations';
import { migrateTestDatabase } from './support/db';
import { environmentId, expectAppError, makeTeam, type Team } from './support/fixtures';
import { signInAs } from './support/session';

// Deploy hooks must not reach inside (issue 7): internal addresses are refused
// when a hook is saved and again at delivery, by the address connected to.

const INTERNAL_URLS = [
  'http://127.0.0.1/hook',
  'http://127.8.9.10:8080/hook',
  'http://10.1.2.3/hook',
  'http://172.16.0.1/hook',
  'http://172.31.255.254/hook',
  'http://192.168.1.1/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.64.0.1/hook',
  'http://100.127.255.254/hook',
  'http://0.0.0.0/hook',
  'http://[::1]/hook',
  'http://[::]/hook',
  'http://[fe80::1]/hook',
  'http://[fc00::1]/hook',
  'http://[fd12:3456::1]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:169.254.169.254]/hook',
  'http://2130706433/hook', // 127.0.0.1 written as one number
  'http://0x7f.1/hook',
  'http://localhost/hook', // a name that resolves to loopback
  // Multicast, reserved and broadcast, benchmarking, IETF and documentation ranges.
  'http://224.0.0.1/hook',
  'http://239.255.255.250/hook',
  'http://240.0.0.1/hook',
  'http://255.255.255.255/hook',
  'http://198.18.0.1/hook',
  'http://198.19.255.254/hook',
  'http://192.0.0.8/hook',
  'http://192.0.2.1/hook',
  'http://198.51.100.7/hook',
  'http://203.0.113.9/hook',
  // IPv6 forms that embed an IPv4 address, and IPv6 internal ranges.
  'http://[::127.0.0.1]/hook', // IPv4-compatible loopback
  'http://[::a9fe:a9fe]/hook', // IPv4-compatible metadata address
  'http://[64:ff9b::a9fe:a9fe]/hook', // NAT64 of 169.254.169.254
  'http://[64:ff9b::127.0.0.1]/hook',
  'http://[64:ff9b:1::1]/hook',
  'http://[2002:7f00:1::1]/hook', // 6to4 of 127.0.0.1
  'http://[2002:a9fe:a9fe::]/hook',
  'http://[fec0::1]/hook', // site-local
  'http://[ff02::1]/hook', // multicast
  'http://[ff05::1:3]/hook',
  'http://[100::1]/hook', // discard
];

/** A hook receiver on 127.0.0.1 that counts what reaches it. */
let received = 0;
const receiver = http.createServer((req, res) => {
  received++;
  req.resume();
  res.end('ok');
});
let port: number;
let team: Team;
let production: string;

beforeAll(async () => {
  await migrateTestDatabase();
  team = await makeTeam('Hooks policy');
  production = await environmentId(team.projectId, 'production');
  signInAs(team.admin);
  await createSecret(team.projectId, production, { key: 'A', value: 'a', description: '', type: 'OTHER' });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});

afterEach(() => setHooksAllowPrivate(null));

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

const hookUrl = async () => (await db.environment.findUniqueOrThrow({ where: { id: production }, select: { deployHookUrl: true } })).deployHookUrl;

describe('isInternalAddress', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::abcd',
    'fc00::1',
    'fdff::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
  ])('%s is internal', (address) => expect(isInternalAddress(address)).toBe(true));
  it.each([
    '224.0.0.251',
    '255.255.255.255',
    '240.0.0.0',
    '198.18.0.0',
    '192.0.2.255',
    '::ffff:224.0.0.1',
    '::127.0.0.1',
    '64:ff9b::808:808',
    '2002:808:808::1',
    'fec0::1',
    'ff02::1',
    '100::',
  ])('%s is internal (multicast, reserved, benchmarking, documentation, embedded IPv4, site-local, discard)', (address) =>
    expect(isInternalAddress(address)).toBe(true),
  );
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '169.255.0.1',
    '192.169.0.1',
    '223.255.255.255',
    '198.17.255.255',
    '198.20.0.1',
    '192.0.3.1',
    '203.0.114.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2001:db9::1',
    '100:0:0:1::1',
    'not-an-address',
  ])('%s is not', (address) => expect(isInternalAddress(address)).toBe(false));
});

describe('saving a hook', () => {
  it.each(INTERNAL_URLS)('refuses %s next to the URL field, and saves nothing', async (url) => {
    setHooksAllowPrivate(false);
    signInAs(team.admin);
    const error = await expectAppError(updateDeployHook(team.projectId, production, { url, signingSecretId: '' }), 'validation_failed', HOOK_PRIVATE_ADDRESS);
    expect(error.fieldErrors).toEqual({ url: HOOK_PRIVATE_ADDRESS });
    expect(await hookUrl()).toBeNull();
  });

  it('answers the form through its action with the message on the URL field', async () => {
    setHooksAllowPrivate(false);
    signInAs(team.admin);
    expect(MESSAGES.hookUrlPrivate).toBe('Deploy hooks cannot target private or internal addresses');
    expect(await updateDeployHookAction(team.projectId, production, { url: 'http://169.254.169.254/latest', signingSecretId: '' })).toEqual({
      ok: false,
      error: HOOK_PRIVATE_ADDRESS,
      code: 'validation_failed',
      fieldErrors: { url: HOOK_PRIVATE_ADDRESS },
    });
  });

  it('allows a public address, and any address with KEYHOLD_HOOKS_ALLOW_PRIVATE', async () => {
    setHooksAllowPrivate(false);
    signInAs(team.admin);
    await updateDeployHook(team.projectId, production, { url: 'https://93.184.215.14/hook', signingSecretId: '' });
    expect(await hookUrl()).toBe('https://93.184.215.14/hook');
    setHooksAllowPrivate(true);
    await updateDeployHook(team.projectId, production, { url: `http://127.0.0.1:${port}/hook`, signingSecretId: '' });
    expect(await hookUrl()).toBe(`http://127.0.0.1:${port}/hook`);
  });
});

describe('delivering', () => {
  /** Saves a hook with the policy off (as if it had resolved elsewhere when saved), then turns it on. */
  async function hookSavedEarlier(url: string) {
    setHooksAllowPrivate(true);
    signInAs(team.admin);
    await updateDeployHook(team.projectId, production, { url, signingSecretId: '' });
    await createSecret(team.projectId, production, {
      key: `K${Date.now()}${Math.random().toString(36).slice(2, 6)}`,
      value: 'v',
      description: '',
      type: 'OTHER',
    });
    setHooksAllowPrivate(false);
  }

  it.each([
    ['a literal loopback address', () => `http://127.0.0.1:${port}/hook`],
    ['an IPv4-mapped IPv6 loopback address', () => `http://[::ffff:127.0.0.1]:${port}/hook`],
    ['a name that resolves to loopback (localhost)', () => `http://localhost:${port}/hook`],
  ])('refuses %s: the deployment fails with the reason and nothing is sent', async (_, url) => {
    await hookSavedEarlier(url());
    const before = received;
    const result = await redeploy(team.projectId, production);
    expect(result).toMatchObject({ status: 'FAILED', error: HOOK_PRIVATE_ADDRESS });
    expect(await db.deployment.findUniqueOrThrow({ where: { id: result.id }, select: { error: true } })).toEqual({ error: HOOK_PRIVATE_ADDRESS });
    expect(received).toBe(before);
  });

  it('checks the address connected to: a name that now resolves to loopback (DNS rebinding) is refused', async () => {
    // The name does not resolve here, so saving it is allowed; at delivery it resolves to this host.
    await hookSavedEarlier(`http://hooks.rebinding.test:${port}/hook`);
    const rebinding = (_host: string, _options: object, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    const before = received;
    expect(await redeploy(team.projectId, production, { resolve: rebinding })).toMatchObject({ status: 'FAILED', error: HOOK_PRIVATE_ADDRESS });
    expect(received).toBe(before);

    // The same lookup with KEYHOLD_HOOKS_ALLOW_PRIVATE: delivered to the address it gave (so the check sits on the real connection).
    setHooksAllowPrivate(true);
    signInAs(team.admin);
    await createSecret(team.projectId, production, { key: 'AFTER_REBINDING', value: 'v', description: '', type: 'OTHER' });
    expect(await redeploy(team.projectId, production, { resolve: rebinding })).toMatchObject({ status: 'SUCCEEDED' });
    expect(received).toBe(before + 1);
  });

  it('delivers to a loopback receiver with KEYHOLD_HOOKS_ALLOW_PRIVATE', async () => {
    await hookSavedEarlier(`http://localhost:${port}/hook`);
    setHooksAllowPrivate(true);
    const before = received;
    expect(await redeploy(team.projectId, production)).toMatchObject({ status: 'SUCCEEDED' });
    expect(received).toBe(before + 1);
  });
});

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { changedFields, diffDeployments, hasPendingChanges, type DeployedItem } from '@/lib/deploys/diff';
import { buildHookRequest, computeSignature, formatSeconds, hookPayload, signatureHeader, verifySignature } from '@/lib/deploys/hook';
import { deployHookSchema, hookOrigin, MESSAGES, parseChanges } from '@/lib/deploys/schemas';

const item = (key: string, version = 1, revision = version, secretId = `id-${key}`): DeployedItem => ({ secretId, key, version, revision });

describe('the diff against the last successful deployment', () => {
  it('lists added, changed and removed keys, sorted, with no values anywhere', () => {
    const base = [item('KEEP'), item('ROTATE'), item('GONE'), item('DESCRIBE')];
    const next = [item('KEEP'), item('ROTATE', 2), item('DESCRIBE', 1, 2), item('NEW_B'), item('NEW_A')];
    expect(diffDeployments(base, next)).toEqual({
      added: [
        { key: 'NEW_A', rebuild: false },
        { key: 'NEW_B', rebuild: false },
      ],
      changed: [
        { key: 'DESCRIBE', fields: ['description/type'], rebuild: false },
        { key: 'ROTATE', fields: ['value'], rebuild: false },
      ],
      removed: [{ key: 'GONE', rebuild: false }],
    });
  });

  it('treats every key as added before the first deployment', () => {
    expect(diffDeployments(null, [item('B'), item('A')])).toEqual({
      added: [
        { key: 'A', rebuild: false },
        { key: 'B', rebuild: false },
      ],
      changed: [],
      removed: [],
    });
    expect(diffDeployments(null, [])).toEqual({ added: [], changed: [], removed: [] });
  });

  it('reports nothing for an unchanged environment', () => {
    const same = [item('A', 3, 5), item('B')];
    expect(diffDeployments(same, same)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('names the fields: value when the version moved, description/type when the revision moved further', () => {
    // value edit only: version +1, revision +1
    expect(changedFields(item('K', 1, 1), item('K', 2, 2))).toEqual(['value']);
    // metadata-only edit: revision +1, version unchanged
    expect(changedFields(item('K', 1, 1), item('K', 1, 2))).toEqual(['description/type']);
    // a value edit and a metadata-only edit
    expect(changedFields(item('K', 1, 1), item('K', 2, 3))).toEqual(['value', 'description/type']);
    // deleted and created again under the same key: versions of different secrets do not compare
    expect(changedFields(item('K', 4, 6, 'old'), item('K', 1, 1, 'new'))).toEqual(['value']);
    expect(changedFields(item('K', 2, 3), item('K', 2, 3))).toEqual([]);
  });

  it('flags NEXT_PUBLIC_ keys whose deployed value appears, changes or disappears, not a metadata-only change', () => {
    const base = [item('NEXT_PUBLIC_CHANGED'), item('NEXT_PUBLIC_GONE'), item('NEXT_PUBLIC_LABEL'), item('PRIVATE')];
    const next = [item('NEXT_PUBLIC_CHANGED', 2), item('NEXT_PUBLIC_LABEL', 1, 2), item('NEXT_PUBLIC_NEW'), item('PRIVATE', 2)];
    const diff = diffDeployments(base, next);
    expect(diff.added).toEqual([{ key: 'NEXT_PUBLIC_NEW', rebuild: true }]);
    expect(diff.removed).toEqual([{ key: 'NEXT_PUBLIC_GONE', rebuild: true }]);
    expect(diff.changed).toEqual([
      { key: 'NEXT_PUBLIC_CHANGED', fields: ['value'], rebuild: true },
      { key: 'NEXT_PUBLIC_LABEL', fields: ['description/type'], rebuild: false },
      { key: 'PRIVATE', fields: ['value'], rebuild: false },
    ]);
    expect(MESSAGES.rebuildNeeded).toBe('Rebuild needed: this key is embedded in browser bundles');
  });

  it('keeps keys like __proto__, constructor and toString as ordinary keys', () => {
    const base = [item('__proto__'), item('constructor'), item('hasOwnProperty')];
    const next = [item('__proto__', 2), item('toString'), item('hasOwnProperty')];
    const diff = diffDeployments(base, next);
    expect(diff.added).toEqual([{ key: 'toString', rebuild: false }]);
    expect(diff.changed).toEqual([{ key: '__proto__', fields: ['value'], rebuild: false }]);
    expect(diff.removed).toEqual([{ key: 'constructor', rebuild: false }]);
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });

  it('matches keys case-sensitively (a key renamed by case is one removed and one added)', () => {
    const diff = diffDeployments([item('api_key')], [item('API_KEY')]);
    expect(diff.added.map((e) => e.key)).toEqual(['API_KEY']);
    expect(diff.removed.map((e) => e.key)).toEqual(['api_key']);
  });

  it('parses stored summaries and survives malformed JSON', () => {
    const diff = diffDeployments([item('A')], [item('B')]);
    expect(parseChanges(JSON.stringify(diff))).toEqual(diff);
    expect(parseChanges('{}')).toEqual({ added: [], changed: [], removed: [] });
    expect(parseChanges('not json')).toEqual({ added: [], changed: [], removed: [] });
  });
});

describe('pending changes', () => {
  const t = (ms: number) => new Date(1_800_000_000_000 + ms);
  it('are pending when the working set changed after the live snapshot, or there is none yet', () => {
    expect(hasPendingChanges(null, null)).toBe(false);
    expect(hasPendingChanges(t(0), null)).toBe(true);
    expect(hasPendingChanges(t(5), t(4))).toBe(true);
    expect(hasPendingChanges(t(4), t(4))).toBe(false);
    expect(hasPendingChanges(t(3), t(4))).toBe(false);
    expect(hasPendingChanges(null, t(4))).toBe(false);
  });
});

describe('deploy hook signatures', () => {
  const secret = 'whsec_test_0123456789';
  const body = '{"project":{"slug":"payments","name":"Payments"},"deployment":7}';
  const timestamp = 1_767_225_600;

  it('is HMAC-SHA256 over `${timestamp}.${body}` with the secret value, hex, prefixed v1=', () => {
    // Computed independently of lib/deploys/hook.ts.
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(computeSignature(secret, timestamp, body)).toBe(expected);
    expect(signatureHeader(secret, timestamp, body)).toBe(`v1=${expected}`);
  });

  it('matches a known vector', () => {
    // printf '1700000000.{}' | openssl dgst -sha256 -hmac key
    const vector = '9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae';
    expect(computeSignature('key', 1_700_000_000, '{}')).toBe(vector);
    expect(signatureHeader('key', '1700000000', '{}')).toBe(`v1=${vector}`);
  });

  it('signs non-ASCII secrets and bodies as UTF-8', () => {
    const expected = createHmac('sha256', Buffer.from('clé-ß', 'utf8')).update(Buffer.from('1.{"k":"ü"}', 'utf8')).digest('hex');
    expect(computeSignature('clé-ß', 1, '{"k":"ü"}')).toBe(expected);
  });

  it('verifies as a receiver would: the right secret, the exact body, a fresh timestamp', () => {
    const header = signatureHeader(secret, timestamp, body);
    const base = { secret, body, signature: header, timestamp: String(timestamp), nowSeconds: timestamp + 10 };
    expect(verifySignature(base)).toBe(true);
    expect(verifySignature({ ...base, secret: 'wrong' })).toBe(false);
    expect(verifySignature({ ...base, body: body.replace('7', '8') })).toBe(false);
    expect(verifySignature({ ...base, timestamp: String(timestamp + 1) })).toBe(false);
    expect(verifySignature({ ...base, nowSeconds: timestamp + 301 })).toBe(false);
    expect(verifySignature({ ...base, signature: null })).toBe(false);
    expect(verifySignature({ ...base, signature: header.replace('v1=', 'v0=') })).toBe(false);
    expect(verifySignature({ ...base, signature: `v1=deadbeef, ${header}` })).toBe(true);
  });

  it('builds the request: JSON body with keys only, timestamp, delivery id, signature; unsigned without a secret', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    const payload = hookPayload({
      project: { slug: 'payments', name: 'Payments' },
      environment: 'production',
      deployment: 3,
      changes: {
        added: [{ key: 'NEW', rebuild: false }],
        changed: [{ key: 'ROTATED', fields: ['value'], rebuild: false }],
        removed: [{ key: 'OLD', rebuild: false }],
      },
      at,
    });
    expect(payload).toEqual({
      project: { slug: 'payments', name: 'Payments' },
      environment: 'production',
      deployment: 3,
      changes: { added: ['NEW'], changed: ['ROTATED'], removed: ['OLD'] },
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    const signed = buildHookRequest(payload, secret, at);
    expect(signed.body).toBe(JSON.stringify(payload));
    expect(signed.headers['Content-Type']).toBe('application/json');
    expect(signed.headers['User-Agent']).toBe('Keyhold');
    expect(signed.headers['Keyhold-Timestamp']).toBe(String(at.getTime() / 1000));
    expect(signed.headers['Keyhold-Delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(signed.headers['Keyhold-Signature']).toBe(
      `v1=${createHmac('sha256', secret)
        .update(`${at.getTime() / 1000}.${signed.body}`)
        .digest('hex')}`,
    );
    expect(JSON.stringify(signed)).not.toContain(secret);

    const unsigned = buildHookRequest(payload, null, at);
    expect(unsigned.headers['Keyhold-Signature']).toBeUndefined();
    expect(unsigned.deliveryId).not.toBe(signed.deliveryId);
  });

  it('formats the timeout for the error message', () => {
    expect(formatSeconds(10_000)).toBe('10 s');
    expect(formatSeconds(300)).toBe('0.3 s');
  });
});

describe('the deploy hook form', () => {
  it('accepts http(s) URLs and an empty one (no hook)', () => {
    expect(deployHookSchema.parse({ url: ' https://deploy.example.test/hooks/abc ', signingSecretId: '' })).toEqual({
      url: 'https://deploy.example.test/hooks/abc',
      signingSecretId: '',
    });
    expect(deployHookSchema.parse({ url: 'http://127.0.0.1:8080/hook' }).url).toBe('http://127.0.0.1:8080/hook');
    expect(deployHookSchema.parse({ url: '' }).url).toBe('');
  });

  it.each(['ftp://example.test/hook', 'javascript:alert(1)', 'file:///etc/passwd', 'example.test/hook', 'http://', `https://e.test/${'a'.repeat(2050)}`])(
    'refuses %s',
    (url) => {
      const result = deployHookSchema.safeParse({ url, signingSecretId: '' });
      expect(result.success).toBe(false);
    },
  );

  it('refuses credentials in the URL', () => {
    const result = deployHookSchema.safeParse({ url: 'https://user:pass@hooks.example.test/x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([MESSAGES.hookUrlCredentials]);
    expect(deployHookSchema.safeParse({ url: 'ftp://a' }).error?.issues.map((i) => i.message)).toEqual([MESSAGES.hookUrlInvalid]);
  });

  it('shows only the origin of a hook URL (paths often carry a token)', () => {
    expect(hookOrigin('https://api.example.test:8443/v1/deploy/prj_123/tok_secret?x=1')).toBe('https://api.example.test:8443');
  });
});

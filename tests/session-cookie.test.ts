import { afterEach, describe, expect, it, vi } from 'vitest';
import { encode } from 'next-auth/jwt';
import { decodeSessionCookie } from '@/lib/session';

// The session cookie's payload is kept after its first decode (lib/session.ts):
// what is kept must never outlive the cookie, and nothing forged gets in.
const secret = () => process.env.NEXTAUTH_SECRET!;
const cookie = (maxAge: number, sub = 'user-1') => encode({ token: { sub, sv: 0 }, secret: secret(), maxAge });

afterEach(() => vi.useRealTimers());

describe('decodeSessionCookie', () => {
  it('decodes a valid cookie, and the same cookie again from what it kept', async () => {
    const value = await cookie(3600);
    const first = await decodeSessionCookie({ token: value, secret: secret() });
    expect(first).toMatchObject({ sub: 'user-1', sv: 0 });
    expect(await decodeSessionCookie({ token: value, secret: secret() })).toBe(first);
  });

  it('refuses a cookie once it expires, even one it decoded before', async () => {
    const value = await cookie(60);
    expect(await decodeSessionCookie({ token: value, secret: secret() })).toMatchObject({ sub: 'user-1' });
    vi.useFakeTimers({ now: Date.now() + 76_000, toFake: ['Date'] }); // past exp and next-auth's 15 s of skew
    expect(await decodeSessionCookie({ token: value, secret: secret() })).toBeNull();
  });

  it('refuses an expired, a forged, a tampered and an empty cookie', async () => {
    expect(await decodeSessionCookie({ token: await cookie(-60), secret: secret() })).toBeNull();
    expect(await decodeSessionCookie({ token: 'forged-session', secret: secret() })).toBeNull();
    const value = await cookie(3600, 'user-2');
    const tampered = value.slice(0, -4) + (value.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await decodeSessionCookie({ token: tampered, secret: secret() })).toBeNull();
    const other = await encode({ token: { sub: 'user-3' }, secret: 'another-secret-of-32-characters!!', maxAge: 3600 });
    expect(await decodeSessionCookie({ token: other, secret: secret() })).toBeNull();
    expect(await decodeSessionCookie({ token: '', secret: secret() })).toBeNull();
  });
});

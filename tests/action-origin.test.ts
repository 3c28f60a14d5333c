import { describe, expect, it } from 'vitest';
import { hasSameOrigin, isServerActionPost } from '@/lib/action-origin';

// Issue 7, defect 5: which server-action POSTs server.ts lets through to Next
// (e2e/invite.spec.ts sends them to the real server).

describe('hasSameOrigin', () => {
  it('accepts an Origin naming the host the request was sent to', () => {
    expect(hasSameOrigin({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe(true);
    expect(hasSameOrigin({ origin: 'https://Keyhold.Example.com', host: 'keyhold.example.com' })).toBe(true);
  });

  it('behind a proxy, compares with X-Forwarded-Host as Next does', () => {
    const headers = { origin: 'https://keyhold.example.com', host: '127.0.0.1:3000', 'x-forwarded-host': 'keyhold.example.com' };
    expect(hasSameOrigin(headers)).toBe(true);
    expect(hasSameOrigin({ ...headers, 'x-forwarded-host': 'other.example.com' })).toBe(false);
  });

  it.each([
    ['no Origin', { host: '127.0.0.1:3000' }],
    ['a null Origin', { origin: 'null', host: '127.0.0.1:3000' }],
    ['a foreign Origin', { origin: 'https://evil.example', host: '127.0.0.1:3000' }],
    ['another port', { origin: 'http://127.0.0.1:3001', host: '127.0.0.1:3000' }],
    ['no Host', { origin: 'http://127.0.0.1:3000' }],
    ['a look-alike host', { origin: 'http://127.0.0.1:3000.evil.example', host: '127.0.0.1:3000' }],
  ])('refuses %s', (_, headers) => {
    expect(hasSameOrigin(headers)).toBe(false);
  });
});

describe('isServerActionPost', () => {
  it('is a POST carrying Next-Action', () => {
    expect(isServerActionPost('POST', { 'next-action': 'abc' })).toBe(true);
    expect(isServerActionPost('GET', { 'next-action': 'abc' })).toBe(false);
    expect(isServerActionPost('POST', {})).toBe(false);
  });
});

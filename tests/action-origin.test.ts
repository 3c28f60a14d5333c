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

describe('isServerActionPost: every POST Next treats as a possible server action', () => {
  it.each([
    ['multipart/form-data; boundary=----x', '/projects'],
    ['multipart/form-data', '/'],
    ['Multipart/Form-Data; boundary=x', '/account'],
    ['application/x-www-form-urlencoded', '/account'],
    ['application/x-www-form-urlencoded; charset=UTF-8', '/setup'],
  ])('a %s POST to a page (%s)', (contentType, url) => {
    expect(isServerActionPost('POST', { 'content-type': contentType }, url)).toBe(true);
    expect(isServerActionPost('GET', { 'content-type': contentType }, url)).toBe(false);
  });

  it('not a form POST to an /api/ route (route handlers and next-auth never run actions)', () => {
    expect(isServerActionPost('POST', { 'content-type': 'application/x-www-form-urlencoded' }, '/api/auth/callback/credentials')).toBe(false);
    expect(isServerActionPost('POST', { 'content-type': 'multipart/form-data; boundary=x' }, '/api/auth/signout?x=1')).toBe(false);
    expect(isServerActionPost('POST', { 'content-type': 'application/json' }, '/projects')).toBe(false);
  });

  it.each(['/api/../projects', '/api/%2e%2e/projects', '/api/%2E%2E/account', '/api/..%2fprojects', '/api\\..\\projects', '/apiary', '/api'])(
    'a form POST to %s, which the router may normalize onto a page, is still one',
    (url) => expect(isServerActionPost('POST', { 'content-type': 'multipart/form-data; boundary=x' }, url)).toBe(true),
  );

  it('Next-Action counts on any path', () => {
    expect(isServerActionPost('POST', { 'next-action': 'abc' }, '/api/auth/signin')).toBe(true);
  });
});

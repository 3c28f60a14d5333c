import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLBACK_PATH, safeCallbackPath } from '@/lib/auth/callback-path';

// Issue 7, defect 1: after sign-in, only same-origin paths are followed.

const ORIGIN = 'https://keyhold.example.com';

describe('safeCallbackPath', () => {
  it.each([
    ['/projects', '/projects'],
    ['/projects/payments-api/settings/secrets?env=production&q=DB', '/projects/payments-api/settings/secrets?env=production&q=DB'],
    ['/invite/abc123', '/invite/abc123'],
    ['/projects#top', '/projects#top'],
    ['/projects?q=%25', '/projects?q=%25'],
    [`${ORIGIN}/projects/x`, '/projects/x'],
  ])('follows the same-origin path %j', (value, expected) => {
    expect(safeCallbackPath(value, ORIGIN)).toBe(expected);
  });

  it.each([
    '/\\evil.example/x',
    '/\\/evil.example/x',
    '\\\\evil.example',
    '/%5Cevil.example/x',
    '/%5cevil.example/x',
    '/%255Cevil.example/x',
    '//evil.example/x',
    '///evil.example/x',
    '/%2F%2Fevil.example/x',
    '/%2f/evil.example',
    '/.//evil.example/x',
    '/\t/evil.example/x',
    '/\n/evil.example/x',
    '/\r/evil.example/x',
    '/%09/evil.example/x',
    '/%0A/evil.example/x',
    '/%0d/evil.example/x',
    '/%00/x',
    '/\u0000/x',
    '/\u007f/evil.example',
    '/\u0085/evil.example',
    'https://evil.example/x',
    'http://keyhold.example.com/x',
    'https://keyhold.example.com.evil.example/x',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java%0Ascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    ' //evil.example',
    '',
  ])('refuses %j', (value) => {
    expect(safeCallbackPath(value, ORIGIN)).toBe(DEFAULT_CALLBACK_PATH);
  });

  it('refuses anything that is not a string', () => {
    for (const value of [undefined, null, 42, ['/projects'], { href: '/projects' }]) {
      expect(safeCallbackPath(value, ORIGIN)).toBe(DEFAULT_CALLBACK_PATH);
    }
  });

  it('without an origin, follows relative paths only', () => {
    expect(safeCallbackPath('/projects/x')).toBe('/projects/x');
    expect(safeCallbackPath(`${ORIGIN}/projects/x`)).toBe(DEFAULT_CALLBACK_PATH);
  });

  it('uses the given fallback', () => {
    expect(safeCallbackPath('//evil.example', ORIGIN, '/login')).toBe('/login');
  });
});

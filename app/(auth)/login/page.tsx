import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { safeCallbackPath } from '@/lib/auth/callback-path';
import { needsSetup } from '@/lib/auth/setup';
import { getSessionUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Sign in · Keyhold' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  if (await needsSetup()) redirect('/setup');
  if (await getSessionUser()) redirect('/projects');
  const { callbackUrl } = await searchParams;
  // Only same-origin paths: an open redirect after sign-in is a phishing tool.
  const next = safeCallbackPath(callbackUrl);
  return (
    <>
      <h1 className="mb-5 text-lg font-semibold">Sign in</h1>
      <LoginForm next={next} />
    </>
  );
}

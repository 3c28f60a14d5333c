import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SetupForm } from '@/components/auth/setup-form';
import { needsSetup } from '@/lib/auth/setup';

export const metadata: Metadata = { title: 'Set up Keyhold' };

export default async function SetupPage() {
  if (!(await needsSetup())) redirect('/login');
  return (
    <>
      <h1 className="text-lg font-semibold">Welcome to Keyhold</h1>
      <p className="mt-1 mb-5 text-sm text-muted-foreground">Create the first account. You will own the projects you create.</p>
      <SetupForm />
    </>
  );
}

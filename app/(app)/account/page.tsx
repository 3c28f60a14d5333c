import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { SecondFactorSettings } from '@/components/account/second-factor-settings';
import { SignOutEverywhereButton } from '@/components/account/sign-out-everywhere';
import { accountSettings } from '@/lib/account/queries';
import { getSessionUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Account · Keyhold' };

const SECTION = 'rounded-lg border border-border bg-surface p-5 shadow-xs';

export default async function AccountPage() {
  // The layout redirects too, but renders beside this page: ask first rather than throw.
  if (!(await getSessionUser())) redirect('/login?callbackUrl=%2Faccount');
  const account = await accountSettings();
  return (
    <div className="mx-auto grid max-w-3xl gap-6 px-4 py-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          {account.name} · {account.email}
        </p>
      </div>
      <section aria-labelledby="password-heading" className={SECTION}>
        <h2 id="password-heading" className="font-medium">
          Password
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted-foreground">Changing it signs you out everywhere else; you stay signed in here.</p>
        <ChangePasswordForm />
      </section>
      <section aria-labelledby="second-factor-heading" className={SECTION}>
        <h2 id="second-factor-heading" className="font-medium">
          Second factor
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted-foreground">A code from an authenticator app (TOTP) on top of your password when you sign in.</p>
        <SecondFactorSettings secondFactor={account.secondFactor} />
      </section>
      <section aria-labelledby="sessions-heading" className={SECTION}>
        <h2 id="sessions-heading" className="font-medium">
          Sessions
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted-foreground">Signs you out on every device, this one included.</p>
        <SignOutEverywhereButton />
      </section>
    </div>
  );
}

import type { Metadata } from 'next';
import { ResetPasswordForm } from '@/components/account/reset-password-form';
import { findPasswordReset } from '@/lib/account/queries';
import { ACCOUNT_TEXT } from '@/lib/account/schemas';

export const metadata: Metadata = { title: 'Set a new password · Keyhold', referrer: 'no-referrer' };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await findPasswordReset(token);
  if (!reset) {
    return (
      <>
        <h1 className="text-lg font-semibold">Reset link not valid</h1>
        <p className="mt-2 text-sm text-muted-foreground">{ACCOUNT_TEXT.resetLinkInvalid}</p>
      </>
    );
  }
  return (
    <>
      <h1 className="text-lg font-semibold">Set a new password</h1>
      <p className="mt-1 mb-5 text-sm text-muted-foreground">
        For <span className="font-medium text-foreground">{reset.email}</span>. Setting it signs this account out everywhere.
      </p>
      <ResetPasswordForm token={token} />
    </>
  );
}

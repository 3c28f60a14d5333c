'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FieldError } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { safeCallbackPath } from '@/lib/auth/callback-path';
import { loginSchema } from '@/lib/auth/schemas';
import type { z } from 'zod';

const ERRORS: Record<string, string> = {
  CredentialsSignin: 'Invalid email or password',
  TooManyAttempts: 'Too many sign-in attempts. Wait 15 minutes and try again.',
};

// Asked for after a correct password when the account has a second factor.
const CODE_ERRORS: Record<string, string> = {
  SecondFactorRequired: 'Enter the code from your authenticator app, or a recovery code.',
  SecondFactorInvalid: 'That code is not valid. Enter the current code from your authenticator app or an unused recovery code.',
};

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [askCode, setAskCode] = useState(false);
  const form = useForm<z.input<typeof loginSchema>>({ resolver: zodResolver(loginSchema), defaultValues: { email: '', password: '', code: '' } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ email, password, code }) => {
    setError(null);
    const result = await signIn('credentials', { email, password, code: code ?? '', redirect: false });
    const failure = !result ? 'Unknown' : result.error;
    if (failure && CODE_ERRORS[failure]) {
      setAskCode(true);
      form.setValue('code', '');
      if (failure === 'SecondFactorInvalid') form.setError('code', { message: CODE_ERRORS[failure] });
      return;
    }
    if (failure) {
      setError(ERRORS[failure] ?? 'Sign-in failed. Please, try again.');
      return;
    }
    // Checked again here: the prop is the page's, but this is where the browser navigates.
    router.replace(safeCallbackPath(next, window.location.origin));
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <Field label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="email" autoFocus {...form.register('email')} />
      </Field>
      <Field label="Password" error={errors.password?.message}>
        <Input type="password" autoComplete="current-password" {...form.register('password')} />
      </Field>
      {askCode ? (
        <Field label="Authentication code" hint={errors.code ? undefined : CODE_ERRORS.SecondFactorRequired} error={errors.code?.message}>
          <Input autoComplete="one-time-code" autoFocus {...form.register('code')} />
        </Field>
      ) : null}
      {error ? <FieldError>{error}</FieldError> : null}
      <Button type="submit" variant="primary" loading={isSubmitting} className="w-full">
        Sign in
      </Button>
    </form>
  );
}

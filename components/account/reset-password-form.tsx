'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Banner } from '@/components/ui/banner';
import { Button, buttonVariants } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useSubmit } from '@/components/use-submit';
import { resetPasswordAction } from '@/lib/account/actions';
import { resetPasswordSchema, type ResetPasswordInput } from '@/lib/account/schemas';

export function ResetPasswordForm({ token }: { token: string }) {
  const [done, setDone] = useState(false);
  const form = useForm<ResetPasswordInput>({ resolver: zodResolver(resetPasswordSchema), defaultValues: { password: '' } });
  const { errors } = form.formState;
  const { submit, pending } = useSubmit('resetPassword', resetPasswordAction, { form, onSuccess: () => setDone(true), refresh: false });
  const onSubmit = form.handleSubmit((input) => submit(token, input));

  if (done) {
    return (
      <div className="grid gap-4">
        <Banner variant="success" role="status">
          Your new password is set. Sign in with it.
        </Banner>
        <Link href="/login" className={buttonVariants({ variant: 'primary', className: 'w-full' })}>
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <Field label="New password" hint="At least 12 characters." error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" autoFocus {...form.register('password')} />
      </Field>
      <Button type="submit" variant="primary" loading={pending} className="w-full">
        Set new password
      </Button>
    </form>
  );
}

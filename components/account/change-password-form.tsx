'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useSubmit } from '@/components/use-submit';
import { changePasswordAction } from '@/lib/account/actions';
import { changePasswordSchema, type ChangePasswordInput } from '@/lib/account/schemas';

export function ChangePasswordForm() {
  const form = useForm<ChangePasswordInput>({ resolver: zodResolver(changePasswordSchema), defaultValues: { currentPassword: '', newPassword: '' } });
  const { errors } = form.formState;
  const { submit, pending } = useSubmit('changePassword', changePasswordAction, {
    form,
    success: 'Password changed. Your other sessions were signed out.',
    onSuccess: () => form.reset(),
  });
  const onSubmit = form.handleSubmit((input) => submit(input));

  return (
    <form onSubmit={onSubmit} noValidate className="grid max-w-sm gap-3">
      <Field label="Current password" error={errors.currentPassword?.message}>
        <Input type="password" autoComplete="current-password" {...form.register('currentPassword')} />
      </Field>
      <Field label="New password" hint="At least 12 characters." error={errors.newPassword?.message}>
        <Input type="password" autoComplete="new-password" {...form.register('newPassword')} />
      </Field>
      <div>
        <Button type="submit" variant="primary" loading={pending}>
          Change password
        </Button>
      </div>
    </form>
  );
}

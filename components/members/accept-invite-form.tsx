'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FieldError } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useSubmit } from '@/components/use-submit';
import { acceptInviteAction } from '@/lib/members/actions';
import { acceptInviteSchema, type AcceptInviteInput } from '@/lib/members/schemas';

export function AcceptInviteForm({ token, email, newAccount }: { token: string; email: string; newAccount: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<AcceptInviteInput>({
    resolver: newAccount ? zodResolver(acceptInviteSchema) : undefined,
    defaultValues: { name: '', password: '' },
  });
  const { errors } = form.formState;
  const { submit, pending } = useSubmit('acceptInvite', acceptInviteAction, {
    form,
    onSuccess: async ({ slug }, [, input]) => {
      if (input) await signIn('credentials', { email, password: input.password, redirect: false });
      router.replace(`/projects/${slug}`);
    },
    onFailure: (failure) => (setError(failure.error), true),
  });

  const onSubmit = form.handleSubmit((input) => {
    setError(null);
    return submit(token, newAccount ? input : null);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {newAccount ? (
        <>
          <Field label="Name" error={errors.name?.message}>
            <Input autoComplete="name" autoFocus {...form.register('name')} />
          </Field>
          <Field label="Password" hint="At least 12 characters." error={errors.password?.message}>
            <Input type="password" autoComplete="new-password" {...form.register('password')} />
          </Field>
        </>
      ) : null}
      {error ? <FieldError>{error}</FieldError> : null}
      <Button type="submit" variant="primary" loading={pending} className="w-full">
        Join project
      </Button>
    </form>
  );
}

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
import { createFirstAccountAction } from '@/lib/auth/actions';
import { setupSchema, type SetupInput } from '@/lib/auth/schemas';

export function SetupForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<SetupInput>({ resolver: zodResolver(setupSchema), defaultValues: { name: '', email: '', password: '' } });
  const { errors } = form.formState;
  const { submit, pending } = useSubmit('createFirstAccount', createFirstAccountAction, {
    form,
    onSuccess: async (_, [input]) => {
      const signedIn = await signIn('credentials', { email: input.email, password: input.password, redirect: false });
      router.replace(signedIn?.ok ? '/projects' : '/login');
    },
    onFailure: (failure) => (setError(failure.error), true),
  });

  const onSubmit = form.handleSubmit((input) => {
    setError(null);
    return submit(input);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <Field label="Name" error={errors.name?.message}>
        <Input autoComplete="name" autoFocus {...form.register('name')} />
      </Field>
      <Field label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="email" {...form.register('email')} />
      </Field>
      <Field label="Password" hint="At least 12 characters." error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" {...form.register('password')} />
      </Field>
      {error ? <FieldError>{error}</FieldError> : null}
      <Button type="submit" variant="primary" loading={pending} className="w-full">
        Create account
      </Button>
    </form>
  );
}

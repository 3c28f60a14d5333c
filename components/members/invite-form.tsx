'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { OneTimeLink } from '@/components/one-time-link';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useSubmit } from '@/components/use-submit';
import { createInviteAction } from '@/lib/members/actions';
import { inviteSchema, type InviteInput } from '@/lib/members/schemas';
import { INVITE_TTL_DAYS } from '@/lib/members/schemas';

export function InviteForm({ projectId }: { projectId: string }) {
  const [link, setLink] = useState<string | null>(null);
  const form = useForm<InviteInput>({ resolver: zodResolver(inviteSchema), defaultValues: { email: '', role: 'MEMBER' } });
  const { errors } = form.formState;
  const { submit, pending } = useSubmit('createInvite', createInviteAction, {
    form,
    onSuccess: ({ token }, [, input]) => {
      setLink(`${window.location.origin}/invite/${token}`);
      form.reset({ email: '', role: input.role });
    },
  });
  const onSubmit = form.handleSubmit((input) => submit(projectId, input));

  return (
    <section className="rounded-lg border border-border bg-surface p-5 shadow-xs">
      <h2 className="font-medium">Invite a person</h2>
      <p className="mt-1 mb-4 text-sm text-muted-foreground">
        Creates a one-time link, valid for {INVITE_TTL_DAYS} days, that you send to them. They choose a name and password.
      </p>
      <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <Field label="Email" error={errors.email?.message}>
          <Input type="email" autoComplete="off" {...form.register('email')} />
        </Field>
        <Field label="Role" error={errors.role?.message}>
          <Select {...form.register('role')}>
            <option value="MEMBER">Member</option>
            <option value="ADMIN">Admin</option>
          </Select>
        </Field>
        <Button type="submit" variant="primary" loading={pending} className="sm:mt-6.5">
          Create invite link
        </Button>
      </form>
      {link ? (
        <div className="mt-4 grid gap-1.5">
          <OneTimeLink
            key={link}
            label="Invite link"
            hint="Shown once. Anyone with this link can join as the invited person."
            link={link}
            copiedMessage="Invite link copied"
          />
        </div>
      ) : null}
    </section>
  );
}

'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { TriangleExclamationPoint } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useSubmit } from '@/components/use-submit';
import { environmentLabel } from '@/lib/projects/schemas';
import { createTokenAction } from '@/lib/tokens/actions';
import { createTokenSchema, TOKEN_EXPIRY_CHOICES, TOKEN_EXPIRY_LABELS, TOKEN_SCOPE_LABELS, TOKEN_SCOPES, type CreateTokenInput } from '@/lib/tokens/schemas';
import type { CreatedToken } from '@/lib/tokens/types';

type Props = {
  projectId: string;
  environments: { id: string; name: string }[];
  /** This app's origin, for the command shown with a new token. */
  origin: string;
};

/** Creates a service token and shows it once, with a copy button. */
export function CreateTokenForm({ projectId, environments, origin }: Props) {
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const form = useForm<CreateTokenInput>({
    resolver: zodResolver(createTokenSchema),
    defaultValues: { name: '', environmentId: environments[0]?.id ?? '', scope: 'read', expiry: '90', expiresOn: '' },
  });
  const { errors } = form.formState;
  const expiry = form.watch('expiry');
  const { submit, pending } = useSubmit('createToken', createTokenAction, {
    form,
    success: 'Token created',
    onSuccess: (token, [, input]) => {
      setCreated(token);
      form.reset({ ...input, name: '', expiresOn: '' });
    },
  });
  const onSubmit = form.handleSubmit((input) => submit(projectId, input));

  const command = created ? `KEYHOLD_URL=${origin} KEYHOLD_TOKEN=${created.token} npx keyhold run -- <command>` : '';

  return (
    <section className="rounded-lg border border-border bg-surface p-5 shadow-xs" aria-labelledby="create-token-heading">
      <h2 id="create-token-heading" className="font-medium">
        Create a token
      </h2>
      <p className="mt-1 mb-4 text-sm text-muted-foreground">
        A token gives a machine (CI, a deploy script, another service) access to one environment through the HTTP API and the CLI. Read tokens get the deployed
        secrets; read and write tokens can also change the environment&apos;s secrets.
      </p>
      <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:items-start">
        <Field label="Name" hint="What uses it, e.g. ci-production." error={errors.name?.message} className="sm:col-span-2 lg:col-span-1">
          <Input autoComplete="off" {...form.register('name')} />
        </Field>
        <Field label="Environment" error={errors.environmentId?.message}>
          <Select {...form.register('environmentId')}>
            {environments.map((environment) => (
              <option key={environment.id} value={environment.id}>
                {environmentLabel(environment.name)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Scope" error={errors.scope?.message}>
          <Select {...form.register('scope')}>
            {TOKEN_SCOPES.map((scope) => (
              <option key={scope} value={scope}>
                {TOKEN_SCOPE_LABELS[scope]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Expires" error={errors.expiry?.message}>
          <Select {...form.register('expiry')}>
            {TOKEN_EXPIRY_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {TOKEN_EXPIRY_LABELS[choice]}
              </option>
            ))}
          </Select>
        </Field>
        {expiry === 'custom' ? (
          <Field label="Expiry date" hint="Valid through the end of that day (UTC)." error={errors.expiresOn?.message}>
            <Input type="date" {...form.register('expiresOn')} />
          </Field>
        ) : null}
        <div className="flex items-end sm:col-span-2 lg:col-span-4">
          <Button type="submit" variant="primary" loading={pending}>
            Create token
          </Button>
        </div>
      </form>

      {created ? (
        <div role="status" className="mt-5 grid gap-3 rounded-lg border border-warning-border bg-warning-muted p-4">
          <p className="flex items-start gap-2 text-sm text-warning-muted-foreground">
            <TriangleExclamationPoint aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            <span>
              <strong className="font-medium">Copy the token {created.name} now.</strong> It is shown only this once: Keyhold keeps only a hash of it. If you
              lose it, revoke it and create another.
            </span>
          </p>
          <Field label="New token">
            <div className="flex gap-2">
              <Input readOnly mono value={created.token} spellCheck={false} autoComplete="off" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={created.token} copiedMessage="Token copied" what="token" label="Copy token" />
            </div>
          </Field>
          <Field label="Run a command with it" hint="Replace <command> with yours, e.g. node server.js.">
            <div className="flex gap-2">
              <Input readOnly mono value={command} spellCheck={false} autoComplete="off" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={command} copiedMessage="Command copied" what="command" label="Copy command" />
            </div>
          </Field>
          {created.deployed ? null : (
            <p className="text-sm text-warning-muted-foreground">
              {environmentLabel(created.environment)} has no deployment yet: reads with this token answer <code className="font-mono">not_deployed</code> until
              you redeploy it.
            </p>
          )}
          <div>
            <Button type="button" variant="ghost" size="sm" onClick={() => setCreated(null)}>
              I have stored it
            </Button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

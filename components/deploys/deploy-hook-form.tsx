'use client';

import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useSubmit } from '@/components/use-submit';
import { updateDeployHookAction } from '@/lib/deploys/actions';
import { deployHookSchema, MESSAGES, type DeployHookInput, type DeployHookSettings } from '@/lib/deploys/schemas';
import type { HookSettingsView } from '@/lib/deploys/types';
import { environmentLabel } from '@/lib/projects/schemas';

type Values = { url: string; signingSecretId: string };

/**
 * One environment's deploy hook: a URL and the secret whose value signs each
 * notification, chosen from that environment's keys (a value is never typed here).
 */
export function DeployHookForm({ projectId, settings }: { projectId: string; settings: HookSettingsView }) {
  const envLabel = environmentLabel(settings.environment.name);
  const defaults: Values = { url: settings.url ?? '', signingSecretId: settings.signingSecret?.id ?? '' };
  const form = useForm<DeployHookInput, unknown, DeployHookSettings>({ resolver: zodResolver(deployHookSchema), defaultValues: defaults });
  const { errors, isDirty } = form.formState;
  const [url, signingSecretId] = useWatch({ control: form.control, name: ['url', 'signingSecretId'] });
  const id = `hook-${settings.environment.name}`;

  const { submit, pending } = useSubmit('updateDeployHook', updateDeployHookAction, {
    form,
    success: (_, [, , input]) => (input.url ? MESSAGES.hookSaved : 'Deploy hook removed'),
    onSuccess: (_, [, , input]) => form.reset(input.url ? input : { url: '', signingSecretId: '' }),
  });
  const onSubmit = form.handleSubmit((input) => submit(projectId, settings.environment.id, input));

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`} className="grid gap-3">
      <h3 id={`${id}-title`} className="text-sm font-medium">
        {envLabel} deploy hook
      </h3>
      <div className="grid gap-3 md:grid-cols-[minmax(0,1fr)_16rem]">
        <Field
          label="Deploy hook URL"
          error={errors.url?.message}
          hint="An https:// address of your CI or platform. Keyhold POSTs a JSON notification there after each redeploy. Leave empty for no hook."
        >
          <Input type="url" inputMode="url" autoComplete="off" spellCheck={false} {...form.register('url')} />
        </Field>
        <Field
          label="Signing secret"
          error={errors.signingSecretId?.message}
          hint="Signs each notification (HMAC-SHA256) with this secret's value in the deployment being delivered."
        >
          <Select {...form.register('signingSecretId')}>
            <option value="">None (unsigned)</option>
            {settings.options.map((option) => (
              <option key={option.id} value={option.id}>
                {option.key}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {url && !signingSecretId ? <Banner variant="warning">{MESSAGES.unsignedWarning}</Banner> : null}
      {url && settings.options.length === 0 ? (
        <p className="text-xs text-muted-foreground">
          {envLabel} has no secrets yet: add one (for example <code className="font-mono">DEPLOY_HOOK_SECRET</code>) to sign notifications with it.
        </p>
      ) : null}
      <div>
        <Button type="submit" variant="primary" loading={pending} disabled={!isDirty}>
          Save hook
        </Button>
      </div>
    </form>
  );
}

/** What members see: where notifications go and whether they are signed, not the URL's path. */
export function DeployHookSummary({ settings }: { settings: HookSettingsView }) {
  return (
    <div className="grid gap-1">
      <h3 className="text-sm font-medium">{environmentLabel(settings.environment.name)} deploy hook</h3>
      <p className="text-sm text-muted-foreground">
        {settings.origin ? (
          <>
            Notifies <span className="font-mono text-foreground">{settings.origin}</span>
            {settings.signingSecret ? (
              <>
                , signed with <span className="font-mono text-foreground">{settings.signingSecret.key}</span>
              </>
            ) : (
              ', unsigned'
            )}
            .
          </>
        ) : (
          'Not configured.'
        )}
      </p>
    </div>
  );
}

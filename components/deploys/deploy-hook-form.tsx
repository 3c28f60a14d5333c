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
import { ACTION_FAILURES } from '@/lib/action-result';
import { MAX_KEY_LENGTH } from '@/lib/secrets/rules.mjs';
import { findSigningSecretsAction, updateDeployHookAction } from '@/lib/deploys/actions';
import { deployHookSchema, MESSAGES, SIGNING_OPTIONS_LIMIT, type DeployHookInput, type DeployHookSettings } from '@/lib/deploys/schemas';
import type { HookSettingsView, SigningOptions } from '@/lib/deploys/types';
import { environmentLabel } from '@/lib/projects/schemas';

type Values = { url: string; signingSecretId: string };
type Option = { id: string; key: string };

const SEARCH_DELAY_MS = 250;

/**
 * The keys that contain `search`, asked of the server a moment after the last
 * keystroke (only for an environment with more keys than the select lists).
 * null: no search typed, the select lists the first keys.
 */
function useSigningSearch(projectId: string, environmentId: string, search: string) {
  const [answer, setAnswer] = React.useState<{ search: string; found?: SigningOptions; error?: string } | null>(null);
  const query = search.trim();
  React.useEffect(() => {
    if (!query) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      findSigningSecretsAction(projectId, environmentId, query).then(
        (result) => !cancelled && setAnswer(result.ok ? { search: query, found: result.data } : { search: query, error: result.error }),
        () => !cancelled && setAnswer({ search: query, error: ACTION_FAILURES.findSigningSecrets }),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [projectId, environmentId, query]);
  // While a newer search is on its way, the last answer stays (no flicker back to the first keys).
  return query ? answer : null;
}

/** What the search found, for screen readers too. */
function searchStatus(search: string, found: SigningOptions): string {
  const n = found.options.length;
  if (n === 0) return `No key contains “${search}”.`;
  if (found.more)
    return `More than ${n.toLocaleString('en-US')} keys contain “${search}”: the list shows the first ${n.toLocaleString('en-US')}. Type more of the key.`;
  return `${n === 1 ? '1 key contains' : `${n} keys contain`} “${search}”.`;
}

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

  const [search, setSearch] = React.useState('');
  const searched = useSigningSearch(projectId, settings.environment.id, settings.moreOptions ? search : '');
  const listed = searched?.found?.options ?? settings.options;
  // The chosen key stays listed (and so chosen) whatever a search lists.
  const [picked, setPicked] = React.useState<Option | null>(settings.signingSecret);
  const chosen = picked && picked.id === signingSecretId ? picked : null;
  const options = chosen && !listed.some((o) => o.id === chosen.id) ? [chosen, ...listed] : listed;
  const signingField = form.register('signingSecretId', {
    onChange: (event: React.ChangeEvent<HTMLSelectElement>) => setPicked(options.find((o) => o.id === event.target.value) ?? null),
  });

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
          <Select {...signingField}>
            <option value="">None (unsigned)</option>
            {options.map((option) => (
              <option key={option.id} value={option.id}>
                {option.key}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {settings.moreOptions ? (
        <div className="grid gap-1.5 md:grid-cols-[minmax(0,1fr)_16rem]">
          <Field
            className="md:col-start-2"
            label="Find a signing secret"
            error={searched?.error}
            hint={`${envLabel} has more than ${SIGNING_OPTIONS_LIMIT.toLocaleString('en-US')} keys; the list shows the first ${SIGNING_OPTIONS_LIMIT.toLocaleString('en-US')}. Type part of a key to list the keys that contain it.`}
          >
            <Input
              type="search"
              autoComplete="off"
              spellCheck={false}
              maxLength={MAX_KEY_LENGTH}
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              // Enter searches (it already does as you type); it does not save the hook.
              onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}
            />
          </Field>
          <p role="status" className="text-xs text-muted-foreground md:col-start-2">
            {searched?.found ? searchStatus(searched.search, searched.found) : ''}
          </p>
        </div>
      ) : null}
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

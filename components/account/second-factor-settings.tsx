'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Copy } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { Badge } from '@/components/ui/badge';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { formatFullDate } from '@/components/ui/relative-time';
import { useSubmit } from '@/components/use-submit';
import { confirmSecondFactorAction, disableSecondFactorAction, startSecondFactorSetupAction } from '@/lib/account/actions';
import type { AccountSettings } from '@/lib/account/queries';
import { confirmSecondFactorSchema, disableSecondFactorSchema, type ConfirmSecondFactorInput, type DisableSecondFactorInput } from '@/lib/account/schemas';

type Setup = { secret: string; qrCode: string };

/** Second factor on /account: set up (scan or type the key, confirm a code, keep the recovery codes) or turn off. */
export function SecondFactorSettings({ secondFactor }: { secondFactor: AccountSettings['secondFactor'] }) {
  const [setup, setSetup] = useState<Setup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const start = useSubmit('startSecondFactorSetup', startSecondFactorSetupAction, { onSuccess: setSetup });

  if (recoveryCodes) return <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />;
  if (setup) return <ConfirmSetup setup={setup} onCancel={() => setSetup(null)} onEnabled={(codes) => (setSetup(null), setRecoveryCodes(codes))} />;
  if (secondFactor) return <SecondFactorOn enabledAt={secondFactor.enabledAt} recoveryCodesLeft={secondFactor.recoveryCodesLeft} />;
  return (
    <div className="grid gap-3">
      <p className="text-sm">
        <Badge>Off</Badge> Signing in needs only your password.
      </p>
      <div>
        <Button variant="primary" loading={start.pending} onClick={() => void start.submit()}>
          Set up second factor
        </Button>
      </div>
    </div>
  );
}

function ConfirmSetup({ setup, onCancel, onEnabled }: { setup: Setup; onCancel: () => void; onEnabled: (codes: string[]) => void }) {
  const form = useForm<ConfirmSecondFactorInput>({ resolver: zodResolver(confirmSecondFactorSchema), defaultValues: { code: '' } });
  const { errors } = form.formState;
  const { submit, pending } = useSubmit('confirmSecondFactor', confirmSecondFactorAction, {
    form,
    onSuccess: ({ recoveryCodes }) => onEnabled(recoveryCodes),
  });
  const onSubmit = form.handleSubmit((input) => submit(input));

  return (
    <div className="grid gap-4">
      <ol className="grid list-decimal gap-1 pl-5 text-sm">
        <li>Scan the QR code with an authenticator app (or type the setup key into it).</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <div className="flex flex-wrap items-start gap-5">
        {/* An SVG data URL made on the server: no external image host. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={setup.qrCode} alt="QR code for your authenticator app" width={176} height={176} className="rounded-md border border-border bg-white p-1" />
        <form onSubmit={onSubmit} noValidate className="grid min-w-64 flex-1 gap-3">
          <Field label="Setup key" hint="Type this into your app if you cannot scan the code.">
            <Input readOnly value={setup.secret} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          </Field>
          <Field label="Authentication code" error={errors.code?.message}>
            <Input inputMode="numeric" autoComplete="one-time-code" autoFocus {...form.register('code')} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" variant="primary" loading={pending}>
              Turn on
            </Button>
            <Button type="button" onClick={onCancel}>
              Cancel
            </Button>
          </div>
        </form>
      </div>
    </div>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  async function copy() {
    await navigator.clipboard?.writeText(codes.join('\n')).catch(() => undefined);
    toast.success('Recovery codes copied');
  }
  return (
    <div className="grid gap-4">
      <Banner variant="success" role="status" title="Your second factor is on">
        Keep these recovery codes somewhere safe. Each one signs you in once if you lose your authenticator app. They are shown only now.
      </Banner>
      <ul
        aria-label="Recovery codes"
        className="grid grid-cols-2 gap-x-6 gap-y-1 rounded-md border border-border bg-surface-muted p-4 font-mono text-sm sm:max-w-sm"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex gap-2">
        <Button type="button" onClick={copy}>
          <Copy aria-hidden="true" /> Copy codes
        </Button>
        <Button type="button" variant="primary" onClick={onDone}>
          I have saved them
        </Button>
      </div>
    </div>
  );
}

function SecondFactorOn({ enabledAt, recoveryCodesLeft }: { enabledAt: string; recoveryCodesLeft: number }) {
  const form = useForm<DisableSecondFactorInput>({ resolver: zodResolver(disableSecondFactorSchema), defaultValues: { password: '', code: '' } });
  const { errors } = form.formState;
  const { submit, pending } = useSubmit('disableSecondFactor', disableSecondFactorAction, { form, success: 'Second factor turned off' });
  const onSubmit = form.handleSubmit((input) => submit(input));

  return (
    <div className="grid gap-4">
      <p className="text-sm">
        <Badge variant="success">On</Badge> since {formatFullDate(new Date(enabledAt))}. {recoveryCodesLeft} of 10 recovery codes left.
      </p>
      <form onSubmit={onSubmit} noValidate className="grid max-w-sm gap-3" aria-label="Turn off second factor">
        <p className="text-sm text-muted-foreground">To turn it off, confirm with your password and a current code.</p>
        <Field label="Password" error={errors.password?.message}>
          <Input type="password" autoComplete="current-password" {...form.register('password')} />
        </Field>
        <Field label="Authentication code" hint="From your app, or a recovery code." error={errors.code?.message}>
          <Input autoComplete="one-time-code" {...form.register('code')} />
        </Field>
        <div>
          <Button type="submit" variant="danger" loading={pending}>
            Turn off second factor
          </Button>
        </div>
      </form>
    </div>
  );
}

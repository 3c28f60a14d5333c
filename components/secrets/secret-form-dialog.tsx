'use client';

import * as React from 'react';
import { Controller, useForm, type Control, type FieldPath, type FieldValues, type UseFormRegister } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Banner } from '@/components/ui/banner';
import { Dialog, DialogBody, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Field, FieldError } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { SecretValueInput, SecretValueToggles } from '@/components/secrets/secret-value-input';
import { useSubmit } from '@/components/use-submit';
import { looksLikeDotenv } from '@/lib/imports/schemas';
import { createSecretAction, generateSecretValueAction, updateSecretAction } from '@/lib/secrets/actions';
import { environmentLabel } from '@/lib/projects/schemas';
import {
  addSecretSchema,
  GENERATE_ALPHABETS,
  GENERATE_LENGTH,
  isPublicKey,
  MESSAGES,
  PUBLIC_CREDENTIAL_OVERRIDE,
  publicCredentialProblem,
  SECRET_TYPE_LABELS,
  SECRET_TYPES,
  suggestType,
  updateSecretSchema,
  type GenerateAlphabet,
} from '@/lib/secrets/schemas';
import type { SecretRow } from '@/lib/secrets/types';

const PUBLIC_KEY_WARNING = 'Keys starting with NEXT_PUBLIC_ are embedded in browser bundles: anyone who loads the app can read this value.';

type EnvironmentRef = { id: string; name: string };

export type SecretFormDialogProps = {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Where focus goes when the dialog closes (default: Radix returns it to the trigger). */
  onCloseAutoFocus?: (event: Event) => void;
  /** Offered as `Redeploy` in the success toast, for every environment the secret was saved in. */
  onRedeploy?: (environments: EnvironmentRef[]) => void;
} & (
  | {
      mode: 'create';
      environment: EnvironmentRef;
      /** Every environment of the project: the others are offered under `Also add to`. */
      environments?: EnvironmentRef[];
      /** Pre-filled key (the overview's `Missing` cells). */
      defaultKey?: string;
      /** KEY=value lines pasted into the key field go here (the import preview) instead of into the field. */
      onPasteLines?: (text: string) => void;
    }
  | { mode: 'edit'; secret: SecretRow; environment: EnvironmentRef }
);

/** Add (`mode="create"`) or edit (`mode="edit"`) a secret. The form remounts, empty, on every open. */
export function SecretFormDialog(props: SecretFormDialogProps) {
  const { open, onOpenChange, onCloseAutoFocus, onRedeploy } = props;
  const [pending, setPending] = React.useState(false);
  const close = React.useCallback(() => onOpenChange(false), [onOpenChange]);

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        // Nothing may be lost while a save is in flight.
        if (!next && pending) return;
        onOpenChange(next);
      }}
    >
      <DialogContent onCloseAutoFocus={onCloseAutoFocus}>
        {props.mode === 'create' ? (
          <CreateSecretForm
            projectId={props.projectId}
            environment={props.environment}
            others={(props.environments ?? []).filter((e) => e.id !== props.environment.id)}
            defaultKey={props.defaultKey}
            onPasteLines={props.onPasteLines}
            onPendingChange={setPending}
            onDone={close}
            onRedeploy={onRedeploy}
          />
        ) : (
          <EditSecretForm
            projectId={props.projectId}
            secret={props.secret}
            environment={props.environment}
            onPendingChange={setPending}
            onDone={close}
            onRedeploy={onRedeploy}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

// ---------------------------------------------------------------------------

type FormProps = {
  projectId: string;
  environment: EnvironmentRef;
  onPendingChange: (pending: boolean) => void;
  onDone: () => void;
  onRedeploy?: (environments: EnvironmentRef[]) => void;
};

/** The success toast, naming the environments when several, with `Redeploy` for them when the page offers it. */
function saved(message: string, environments: EnvironmentRef[], onRedeploy?: (environments: EnvironmentRef[]) => void) {
  const names = environments.map((environment) => environmentLabel(environment.name));
  toast.success(message, {
    description: names.length > 1 ? `Added to ${names.slice(0, -1).join(', ')} and ${names.at(-1)}.` : undefined,
    action: onRedeploy ? { label: 'Redeploy', onClick: () => onRedeploy(environments) } : undefined,
  });
}

/** `DATABASE_URL in Production`: under the Edit, Delete and Change history titles. */
export function KeyInEnvironment({ secretKey, environment }: { secretKey: string; environment: string }) {
  return (
    <>
      <span className="font-mono break-all text-foreground">{secretKey}</span> in{' '}
      <span className="font-medium text-foreground">{environmentLabel(environment)}</span>
    </>
  );
}

function useReportPending(pending: boolean, onPendingChange: (pending: boolean) => void) {
  React.useEffect(() => {
    onPendingChange(pending);
  }, [pending, onPendingChange]);
  React.useEffect(() => () => onPendingChange(false), [onPendingChange]);
}

// ---------------------------------------------------------------------------

type CreateValues = z.input<typeof addSecretSchema>;
type CreateOutput = z.output<typeof addSecretSchema>;

function CreateSecretForm({
  projectId,
  environment,
  others,
  defaultKey = '',
  onPasteLines,
  onPendingChange,
  onDone,
  onRedeploy,
}: FormProps & { others: EnvironmentRef[]; defaultKey?: string; onPasteLines?: (text: string) => void }) {
  const form = useForm<CreateValues, unknown, CreateOutput>({
    resolver: zodResolver(addSecretSchema),
    defaultValues: {
      key: defaultKey,
      value: '',
      description: '',
      type: defaultKey ? suggestType(defaultKey) : 'OTHER',
      allowPublicCredential: false,
      alsoEnvironmentIds: [],
    },
  });
  const { register, control, setValue, formState } = form;
  const [typePicked, setTypePicked] = React.useState(false);
  const [revealed, setRevealed] = React.useState(false);
  const [multiline, setMultiline] = React.useState(false);
  // A failure (the network's too) keeps the dialog open with the generic sentence.
  const { submit, pending } = useSubmit('createSecret', createSecretAction, {
    form,
    onSuccess: (_, [, , values]) => {
      const written = [environment, ...others.filter((other) => values.alsoEnvironmentIds?.includes(other.id))];
      saved('New secret added successfully', written, onRedeploy);
      form.reset();
      onDone();
    },
  });
  useReportPending(pending, onPendingChange);

  const key = form.watch('key') ?? '';
  const trimmedKey = key.trim();
  const upperKey = trimmedKey.toUpperCase();
  const hasLowercase = /[a-z]/.test(trimmedKey);
  const publicKey = isPublicKey(trimmedKey);

  const updateKey = (next: string) => {
    if (!typePicked) setValue('type', suggestType(next.trim()));
  };

  const credentialProblem = publicCredentialProblem(trimmedKey, form.watch('value') ?? '');

  const onSubmit = form.handleSubmit((values) => {
    if (credentialProblem && !values.allowPublicCredential) {
      form.setError('value', { type: 'public', message: credentialProblem }, { shouldFocus: true });
      return;
    }
    return submit(projectId, environment.id, values);
  });

  const keyHint = hasLowercase ? (
    <span>
      Keys are usually UPPERCASE_WITH_UNDERSCORES.{' '}
      <button
        type="button"
        className="focus-ring rounded-sm font-medium text-accent underline-offset-2 hover:underline"
        onClick={() => {
          setValue('key', upperKey, { shouldDirty: true, shouldValidate: formState.isSubmitted });
          updateKey(upperKey);
        }}
      >
        Use <span className="font-mono">{upperKey}</span>
      </button>
    </span>
  ) : (
    'Letters, digits and underscores, e.g. STRIPE_SECRET_KEY. Case-sensitive.'
  );

  return (
    <form onSubmit={onSubmit} noValidate className="flex min-h-0 flex-col">
      <DialogHeader>
        <DialogTitle>Add Secret</DialogTitle>
        <DialogDescription>
          Add a secret to <span className="font-medium text-foreground">{environmentLabel(environment.name)}</span>. The value is encrypted right away and never
          shown again.
        </DialogDescription>
      </DialogHeader>
      <DialogBody className="grid gap-4">
        <Field
          label="Secret Key"
          error={formState.errors.key?.message}
          hint={keyHint}
          after={
            <div aria-live="polite">
              {publicKey ? (
                <Banner variant="warning" className="mt-1 text-xs leading-4">
                  {PUBLIC_KEY_WARNING}
                </Banner>
              ) : null}
            </div>
          }
        >
          <Input
            {...register('key', { onChange: (e: React.ChangeEvent<HTMLInputElement>) => updateKey(e.target.value) })}
            onPaste={(e) => {
              // A pasted .env must never land in this field: its values would show in clear.
              const text = e.clipboardData.getData('text/plain');
              if (onPasteLines && looksLikeDotenv(text)) {
                e.preventDefault();
                onPasteLines(text);
              }
            }}
            autoComplete="off"
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            mono
          />
        </Field>

        <ValueField
          control={control}
          projectId={projectId}
          onGenerated={(value) => setValue('value', value, { shouldDirty: true, shouldValidate: formState.isSubmitted })}
          label="Secret Value"
          error={formState.errors.value?.message}
          revealed={revealed}
          setRevealed={setRevealed}
          multiline={multiline}
          setMultiline={setMultiline}
          after={credentialProblem ? <PublicCredentialOverride register={register} /> : null}
        />

        <DescriptionAndType
          register={register}
          descriptionError={formState.errors.description?.message}
          typeError={formState.errors.type?.message}
          onTypePicked={() => setTypePicked(true)}
          typeHint={typePicked ? undefined : 'Suggested from the key; pick another if it fits better.'}
        />

        {others.length > 0 ? (
          <fieldset className="grid gap-1.5" aria-describedby={formState.errors.alsoEnvironmentIds ? 'also-add-error' : undefined}>
            <legend className="mb-1.5 text-sm leading-5 font-medium">Also add to</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {others.map((other) => (
                <label key={other.id} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" value={other.id} className="size-4 accent-accent" {...register('alsoEnvironmentIds')} />
                  {environmentLabel(other.name)}
                </label>
              ))}
            </div>
            <p className="text-xs leading-4 text-muted-foreground">The same key, value, description and type in each.</p>
            {formState.errors.alsoEnvironmentIds?.message ? <FieldError id="also-add-error">{formState.errors.alsoEnvironmentIds.message}</FieldError> : null}
          </fieldset>
        ) : null}
      </DialogBody>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" variant="primary" loading={pending}>
          Create Secret
        </Button>
      </DialogFooter>
    </form>
  );
}

// ---------------------------------------------------------------------------

type UpdateValues = z.input<typeof updateSecretSchema>;
type UpdateOutput = z.output<typeof updateSecretSchema>;

function EditSecretForm({ projectId, secret, environment, onPendingChange, onDone, onRedeploy }: FormProps & { secret: SecretRow }) {
  const form = useForm<UpdateValues, unknown, UpdateOutput>({
    resolver: zodResolver(updateSecretSchema),
    defaultValues: { value: '', description: secret.description, type: secret.type, revision: secret.revision, allowPublicCredential: false },
  });
  const { register, control, formState, setValue } = form;
  const credentialProblem = publicCredentialProblem(secret.key, form.watch('value') ?? '');
  const [revealed, setRevealed] = React.useState(false);
  const [multiline, setMultiline] = React.useState(false);
  // "No changes to save" / a conflict: shown inline next to the buttons.
  const [formError, setFormError] = React.useState<string | null>(null);
  const { submit, pending } = useSubmit('updateSecret', updateSecretAction, {
    form,
    onSuccess: () => {
      saved('Secret updated successfully', [environment], onRedeploy);
      form.reset();
      onDone();
    },
    // Shown next to the buttons; after a conflict the table is refreshed while this form keeps its old revision on purpose.
    onFailure: (failure) => {
      if (failure.code !== 'conflict' && failure.code !== 'no_changes') return false;
      setFormError(failure.error);
      return true;
    },
  });
  useReportPending(pending, onPendingChange);

  React.useEffect(() => {
    const subscription = form.watch(() => setFormError(null));
    return () => subscription.unsubscribe();
  }, [form]);

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    if (values.value === '' && values.description === secret.description.trim() && values.type === secret.type) {
      setFormError(MESSAGES.noChanges);
      return;
    }
    if (credentialProblem && !values.allowPublicCredential) {
      form.setError('value', { type: 'public', message: credentialProblem }, { shouldFocus: true });
      return;
    }
    await submit(projectId, secret.id, values);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex min-h-0 flex-col">
      <DialogHeader>
        <DialogTitle>Edit Secret</DialogTitle>
        <DialogDescription>
          <KeyInEnvironment secretKey={secret.key} environment={environment.name} />
        </DialogDescription>
      </DialogHeader>
      <DialogBody className="grid gap-4">
        <Field label="Secret Key">
          <Input value={secret.key} readOnly mono />
        </Field>

        <ValueField
          control={control}
          projectId={projectId}
          onGenerated={(value) => setValue('value', value, { shouldDirty: true, shouldValidate: formState.isSubmitted })}
          label="New Value"
          hint="Leave empty to keep the current value"
          error={formState.errors.value?.message}
          revealed={revealed}
          setRevealed={setRevealed}
          multiline={multiline}
          setMultiline={setMultiline}
          after={credentialProblem ? <PublicCredentialOverride register={register} /> : null}
          autoFocus
        />

        <DescriptionAndType register={register} descriptionError={formState.errors.description?.message} typeError={formState.errors.type?.message} />
      </DialogBody>
      <DialogFooter>
        {formError ? <FieldError className="text-sm leading-5 sm:order-first sm:mr-auto">{formError}</FieldError> : null}
        <DialogClose asChild>
          <Button variant="secondary" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" variant="primary" loading={pending}>
          Update Secret
        </Button>
      </DialogFooter>
    </form>
  );
}

// ---------------------------------------------------------------------------
// Shared fields

// Both forms have `value`, `description`, `type` and `allowPublicCredential` fields.
type SharedFields = FieldValues & { value: string; description?: string; type: string; allowPublicCredential?: boolean };

/** The explicit override of the NEXT_PUBLIC_ credential guard (the refusal itself shows as the value's error). */
function PublicCredentialOverride<T extends SharedFields>({ register }: { register: UseFormRegister<T> }) {
  return (
    <div
      aria-live="polite"
      className="grid gap-1.5 rounded-md border border-danger-border bg-danger-muted p-2.5 text-xs leading-4 text-danger-muted-foreground"
    >
      <p>NEXT_PUBLIC_ values are shipped to every browser that loads the app, and this value looks like a credential.</p>
      <label className="flex items-center gap-2 font-medium">
        <input type="checkbox" className="size-4 accent-accent" {...register('allowPublicCredential' as FieldPath<T>)} />
        {PUBLIC_CREDENTIAL_OVERRIDE}
      </label>
    </div>
  );
}

function ValueField<T extends SharedFields, O>({
  control,
  projectId,
  onGenerated,
  label,
  hint,
  error,
  revealed,
  setRevealed,
  multiline,
  setMultiline,
  after,
  autoFocus,
}: {
  control: Control<T, unknown, O>;
  projectId: string;
  onGenerated: (value: string) => void;
  label: string;
  hint?: string;
  error?: string;
  revealed: boolean;
  setRevealed: (revealed: boolean) => void;
  multiline: boolean;
  setMultiline: (multiline: boolean) => void;
  after?: React.ReactNode;
  autoFocus?: boolean;
}) {
  const id = `secret-value-${React.useId()}`;
  const inputRef = React.useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const switched = React.useRef(false);

  // After switching single-line ⇄ multi-line, keep the caret in the new control.
  React.useEffect(() => {
    if (!switched.current) return;
    switched.current = false;
    const el = inputRef.current;
    if (el) {
      el.focus();
      const end = el.value.length;
      el.setSelectionRange(end, end);
    }
  }, [multiline]);

  React.useEffect(() => {
    if (autoFocus) inputRef.current?.focus();
  }, [autoFocus]);

  const changeMultiline = (next: boolean) => {
    switched.current = true;
    setMultiline(next);
  };

  return (
    <Field
      id={id}
      label={label}
      hint={hint}
      error={error}
      after={
        <>
          <GenerateValue projectId={projectId} onGenerated={onGenerated} />
          {after}
        </>
      }
      labelAside={
        <SecretValueToggles revealed={revealed} onRevealedChange={setRevealed} multiline={multiline} onMultilineChange={changeMultiline} controlsId={id} />
      }
    >
      <Controller
        control={control}
        name={'value' as FieldPath<T>}
        render={({ field }) => (
          <SecretValueInput
            name={field.name}
            value={(field.value as string | undefined) ?? ''}
            onChange={field.onChange}
            onBlur={field.onBlur}
            ref={(el) => {
              inputRef.current = el;
              field.ref(el);
            }}
            revealed={revealed}
            multiline={multiline}
            onMultilineChange={changeMultiline}
          />
        )}
      />
    </Field>
  );
}

/**
 * `Generate`: a strong random value made on the server (node:crypto) straight
 * into the value field, masked like any value. Length and characters can be
 * changed; each change generates again.
 */
function GenerateValue({ projectId, onGenerated }: { projectId: string; onGenerated: (value: string) => void }) {
  const [options, setOptions] = React.useState<{ length: number; alphabet: GenerateAlphabet } | null>(null);
  // Nothing changed on the server: no refresh.
  const { submit, pending: busy } = useSubmit('generateSecretValue', generateSecretValueAction, {
    onSuccess: ({ value }) => onGenerated(value),
    refresh: false,
  });
  const generate = async (next: { length: number; alphabet: GenerateAlphabet }) => {
    setOptions(next);
    if (!Number.isInteger(next.length) || next.length < GENERATE_LENGTH.min || next.length > GENERATE_LENGTH.max) return;
    await submit(projectId, next);
  };
  const lengthId = React.useId();
  const alphabetId = React.useId();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        type="button"
        size="sm"
        variant="secondary"
        loading={busy}
        onClick={() => generate(options ?? { length: GENERATE_LENGTH.default, alphabet: 'alphanumeric' })}
      >
        Generate
      </Button>
      {options ? (
        <>
          <label htmlFor={lengthId} className="text-xs text-muted-foreground">
            Length
          </label>
          <input
            id={lengthId}
            type="number"
            min={GENERATE_LENGTH.min}
            max={GENERATE_LENGTH.max}
            value={Number.isNaN(options.length) ? '' : options.length}
            onChange={(e) => generate({ ...options, length: e.target.valueAsNumber })}
            className="h-7 w-16 rounded-md border border-input bg-surface px-2 text-sm"
          />
          <label htmlFor={alphabetId} className="text-xs text-muted-foreground">
            Characters
          </label>
          <select
            id={alphabetId}
            value={options.alphabet}
            onChange={(e) => generate({ ...options, alphabet: e.target.value as GenerateAlphabet })}
            className="h-7 rounded-md border border-input bg-surface px-1.5 text-sm"
          >
            {(Object.keys(GENERATE_ALPHABETS) as GenerateAlphabet[]).map((alphabet) => (
              <option key={alphabet} value={alphabet}>
                {GENERATE_ALPHABETS[alphabet].label}
              </option>
            ))}
          </select>
        </>
      ) : null}
    </div>
  );
}

function DescriptionAndType<T extends SharedFields>({
  register,
  descriptionError,
  typeError,
  onTypePicked,
  typeHint,
}: {
  register: UseFormRegister<T>;
  descriptionError?: string;
  typeError?: string;
  onTypePicked?: () => void;
  typeHint?: string;
}) {
  return (
    <>
      <Field label="Description" error={descriptionError} labelAside={<span className="text-xs text-muted-foreground">Optional</span>}>
        <Input {...register('description' as FieldPath<T>)} autoComplete="off" placeholder="What is it for?" />
      </Field>
      <Field label="Type" error={typeError} hint={typeHint}>
        <Select {...register('type' as FieldPath<T>, { onChange: () => onTypePicked?.() })}>
          {SECRET_TYPES.map((type) => (
            <option key={type} value={type}>
              {SECRET_TYPE_LABELS[type]}
            </option>
          ))}
        </Select>
      </Field>
    </>
  );
}

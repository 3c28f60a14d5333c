'use client';

import * as React from 'react';
import { Controller, useForm, type Control, type FieldPath, type FieldValues, type UseFormRegister } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Banner } from '@/components/ui/banner';
import {
  Dialog,
  DialogBody,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Field, FieldError } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { SecretValueInput, SecretValueToggles } from '@/components/secrets/secret-value-input';
import { useSubmit } from '@/components/use-submit';
import { createSecretAction, updateSecretAction } from '@/lib/secrets/actions';
import {
  createSecretSchema,
  isPublicKey,
  MESSAGES,
  SECRET_TYPE_LABELS,
  SECRET_TYPES,
  suggestType,
  updateSecretSchema,
} from '@/lib/secrets/schemas';
import type { SecretRow } from '@/lib/secrets/types';

export const PUBLIC_KEY_WARNING =
  'Keys starting with NEXT_PUBLIC_ are embedded in browser bundles: anyone who loads the app can read this value.';

export type SecretFormDialogProps = {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Where focus goes when the dialog closes (default: Radix returns it to the trigger). */
  onCloseAutoFocus?: (event: Event) => void;
} & (
  | { mode: 'create'; environmentId: string; /** Shown in the description, e.g. "Production". */ environmentName?: string }
  | { mode: 'edit'; secret: SecretRow }
);

/** Add (`mode="create"`) or edit (`mode="edit"`) a secret. The form remounts, empty, on every open. */
export function SecretFormDialog(props: SecretFormDialogProps) {
  const { open, onOpenChange, onCloseAutoFocus } = props;
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
            environmentId={props.environmentId}
            environmentName={props.environmentName}
            onPendingChange={setPending}
            onDone={close}
          />
        ) : (
          <EditSecretForm projectId={props.projectId} secret={props.secret} onPendingChange={setPending} onDone={close} />
        )}
      </DialogContent>
    </Dialog>
  );
}

// ---------------------------------------------------------------------------

type FormProps = { projectId: string; onPendingChange: (pending: boolean) => void; onDone: () => void };

function useReportPending(pending: boolean, onPendingChange: (pending: boolean) => void) {
  React.useEffect(() => {
    onPendingChange(pending);
  }, [pending, onPendingChange]);
  React.useEffect(() => () => onPendingChange(false), [onPendingChange]);
}

// ---------------------------------------------------------------------------

type CreateValues = z.input<typeof createSecretSchema>;
type CreateOutput = z.output<typeof createSecretSchema>;

function CreateSecretForm({
  projectId,
  environmentId,
  environmentName,
  onPendingChange,
  onDone,
}: FormProps & { environmentId: string; environmentName?: string }) {
  const form = useForm<CreateValues, unknown, CreateOutput>({
    resolver: zodResolver(createSecretSchema),
    defaultValues: { key: '', value: '', description: '', type: 'OTHER' },
  });
  const { register, control, setValue, formState } = form;
  const [typePicked, setTypePicked] = React.useState(false);
  const [revealed, setRevealed] = React.useState(false);
  const [multiline, setMultiline] = React.useState(false);
  // A failure (the network's too) keeps the dialog open with the generic sentence.
  const { submit, pending } = useSubmit('createSecret', createSecretAction, {
    form,
    success: 'New secret added successfully',
    onSuccess: () => (form.reset(), onDone()),
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

  const onSubmit = form.handleSubmit((values) => submit(projectId, environmentId, values));

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
          {environmentName ? (
            <>
              Add a secret to <span className="font-medium text-foreground">{environmentName}</span>.{' '}
            </>
          ) : null}
          The value is encrypted right away and never shown again.
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
            autoComplete="off"
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            placeholder="DATABASE_URL"
            mono
          />
        </Field>

        <ValueField
          control={control}
          label="Secret Value"
          error={formState.errors.value?.message}
          revealed={revealed}
          setRevealed={setRevealed}
          multiline={multiline}
          setMultiline={setMultiline}
        />

        <DescriptionAndType
          register={register}
          descriptionError={formState.errors.description?.message}
          typeError={formState.errors.type?.message}
          onTypePicked={() => setTypePicked(true)}
          typeHint={typePicked ? undefined : 'Suggested from the key; pick another if it fits better.'}
        />
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

function EditSecretForm({ projectId, secret, onPendingChange, onDone }: FormProps & { secret: SecretRow }) {
  const form = useForm<UpdateValues, unknown, UpdateOutput>({
    resolver: zodResolver(updateSecretSchema),
    defaultValues: { value: '', description: secret.description, type: secret.type, revision: secret.revision },
  });
  const { register, control, formState } = form;
  const [revealed, setRevealed] = React.useState(false);
  const [multiline, setMultiline] = React.useState(false);
  // "No changes to save" / a conflict: shown inline next to the buttons.
  const [formError, setFormError] = React.useState<string | null>(null);
  const { submit, pending } = useSubmit('updateSecret', updateSecretAction, {
    form,
    success: 'Secret updated successfully',
    onSuccess: () => (form.reset(), onDone()),
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
    await submit(projectId, secret.id, values);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex min-h-0 flex-col">
      <DialogHeader>
        <DialogTitle>Edit Secret</DialogTitle>
        <DialogDescription>Values are write-only: type a new one to replace the current value.</DialogDescription>
      </DialogHeader>
      <DialogBody className="grid gap-4">
        <Field label="Secret Key">
          <Input value={secret.key} readOnly mono />
        </Field>

        <ValueField
          control={control}
          label="New Value"
          hint="Leave empty to keep the current value"
          error={formState.errors.value?.message}
          revealed={revealed}
          setRevealed={setRevealed}
          multiline={multiline}
          setMultiline={setMultiline}
          autoFocus
        />

        <DescriptionAndType
          register={register}
          descriptionError={formState.errors.description?.message}
          typeError={formState.errors.type?.message}
        />
      </DialogBody>
      <DialogFooter>
        {formError ? (
          <FieldError className="text-sm leading-5 sm:order-first sm:mr-auto">{formError}</FieldError>
        ) : null}
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

// Both forms have `value`, `description` and `type` fields.
type SharedFields = FieldValues & { value: string; description?: string; type: string };

function ValueField<T extends SharedFields, O>({
  control,
  label,
  hint,
  error,
  revealed,
  setRevealed,
  multiline,
  setMultiline,
  autoFocus,
}: {
  control: Control<T, unknown, O>;
  label: string;
  hint?: string;
  error?: string;
  revealed: boolean;
  setRevealed: (revealed: boolean) => void;
  multiline: boolean;
  setMultiline: (multiline: boolean) => void;
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
      labelAside={
        <SecretValueToggles
          revealed={revealed}
          onRevealedChange={setRevealed}
          multiline={multiline}
          onMultilineChange={changeMultiline}
          controlsId={id}
        />
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
      <Field
        label="Description"
        error={descriptionError}
        labelAside={<span className="text-xs text-muted-foreground">Optional</span>}
      >
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

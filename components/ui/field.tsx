'use client';

import * as React from 'react';
import { CircleExclamationPoint } from 'lucide-react';
import { Label } from '@/components/ui/label';
import { cn } from '@/components/ui/cn';

type FieldContextValue = {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
};

const FieldContext = React.createContext<FieldContextValue | null>(null);

type ControlA11yProps = {
  id?: string;
  'aria-invalid'?: React.AriaAttributes['aria-invalid'];
  'aria-describedby'?: string;
};

/**
 * The id / aria-invalid / aria-describedby a control inside a <Field> should
 * carry. Input, Textarea and Select call it themselves; call it in a custom
 * control. Props passed explicitly win; describedby ids are merged.
 */
export function useFieldControlProps(props: ControlA11yProps): ControlA11yProps {
  const field = React.useContext(FieldContext);
  if (!field) return {};
  const describedBy = [field.describedBy, props['aria-describedby']].filter(Boolean).join(' ') || undefined;
  return {
    id: props.id ?? field.id,
    'aria-invalid': props['aria-invalid'] ?? (field.invalid ? true : undefined),
    'aria-describedby': describedBy,
  };
}

export type FieldProps = {
  /** Visible label text (every control gets one). */
  label: React.ReactNode;
  /** Help text under the control, referenced by aria-describedby. */
  hint?: React.ReactNode;
  /** Error under the control: sets aria-invalid, is announced (role="alert"). */
  error?: React.ReactNode;
  /** id of the control; generated when omitted. */
  id?: string;
  /** Something at the end of the label row (e.g. a "Show" toggle or a counter). */
  labelAside?: React.ReactNode;
  /** Extra content between the control and the hint (e.g. a warning banner). */
  after?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
};

/** Label + control + hint + error, wired for assistive technology. */
export function Field({ label, hint, error, id, labelAside, after, className, children }: FieldProps) {
  const autoId = React.useId();
  const controlId = id ?? `field-${autoId}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const value = React.useMemo<FieldContextValue>(
    () => ({
      id: controlId,
      describedBy: [errorId, hintId].filter(Boolean).join(' ') || undefined,
      invalid: Boolean(error),
    }),
    [controlId, errorId, hintId, error],
  );

  return (
    <div className={cn('grid min-w-0 gap-1.5', className)} data-invalid={error ? true : undefined}>
      <div className="flex min-h-5 items-center justify-between gap-2">
        <Label htmlFor={controlId}>{label}</Label>
        {labelAside}
      </div>
      <FieldContext value={value}>{children}</FieldContext>
      {after}
      {hint ? (
        <div id={hintId} className="text-xs leading-4 text-muted-foreground">
          {hint}
        </div>
      ) : null}
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

/** An error message under a control; announced when it appears. */
export function FieldError({ id, children, className }: { id?: string; children: React.ReactNode; className?: string }) {
  return (
    <p id={id} role="alert" className={cn('flex items-start gap-1 text-xs leading-4 text-danger-muted-foreground', className)}>
      <CircleExclamationPoint aria-hidden="true" className="mt-px size-3.5 shrink-0" />
      <span>{children}</span>
    </p>
  );
}

'use client';

import * as React from 'react';
import { Eye, EyeOff, TextWrap } from 'lucide-react';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/components/ui/cn';

export type SecretValueInputProps = {
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  name?: string;
  placeholder?: string;
  revealed: boolean;
  multiline: boolean;
  /** Called when a pasted value has line breaks: the input switches to multi-line so nothing is lost. */
  onMultilineChange: (multiline: boolean) => void;
  ref?: React.Ref<HTMLInputElement | HTMLTextAreaElement>;
};

/**
 * The write-only value control. Single line it is a real password input;
 * multi-line (certificates, PEM keys) it is a textarea masked with
 * -webkit-text-security until "Show" is pressed. It only ever holds what the
 * user types: values are never sent to the browser.
 * Must sit inside a <Field> (which gives it its id, label and descriptions).
 */
export function SecretValueInput({ value, onChange, onBlur, name, placeholder, revealed, multiline, onMultilineChange, ref }: SecretValueInputProps) {
  const common = {
    name,
    value,
    placeholder,
    onBlur,
    autoComplete: 'off',
    autoCorrect: 'off',
    autoCapitalize: 'off',
    spellCheck: false,
    // Keep password managers from offering to save or fill a secret.
    'data-1p-ignore': true,
    'data-lpignore': 'true',
    'data-bwignore': true,
    'data-form-type': 'other',
  } as const;

  if (multiline) {
    return (
      <Textarea
        {...common}
        ref={ref as React.Ref<HTMLTextAreaElement>}
        rows={5}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          // Ctrl/Cmd+Enter submits from the textarea (Enter adds a line).
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
        mono
        className={cn('min-h-28 break-all', !revealed && 'text-security-disc')}
      />
    );
  }

  return (
    <Input
      {...common}
      ref={ref as React.Ref<HTMLInputElement>}
      type={revealed ? 'text' : 'password'}
      onChange={(e) => onChange(e.target.value)}
      onPaste={(e) => {
        const text = e.clipboardData.getData('text');
        if (!/\r?\n/.test(text)) return;
        // A password input would drop the line breaks: switch to multi-line and keep them.
        e.preventDefault();
        const el = e.currentTarget;
        const start = el.selectionStart ?? value.length;
        const end = el.selectionEnd ?? value.length;
        onChange(value.slice(0, start) + text + value.slice(end));
        onMultilineChange(true);
      }}
      mono
    />
  );
}

/** "Show" / "Hide" and "Multi-line" toggles, for the value field's label row. */
export function SecretValueToggles({
  revealed,
  onRevealedChange,
  multiline,
  onMultilineChange,
  controlsId,
}: {
  revealed: boolean;
  onRevealedChange: (revealed: boolean) => void;
  multiline: boolean;
  onMultilineChange: (multiline: boolean) => void;
  controlsId?: string;
}) {
  const toggle =
    'focus-ring inline-flex h-6 items-center gap-1 rounded-md px-1.5 text-xs font-medium text-muted-foreground transition-colors ' +
    'hover:bg-surface-hover hover:text-foreground aria-pressed:bg-surface-hover aria-pressed:text-foreground [&_svg]:size-3.5';
  return (
    <div className="flex items-center gap-0.5">
      <button
        type="button"
        className={toggle}
        aria-pressed={multiline}
        aria-controls={controlsId}
        title="Switch to a multi-line field for certificates and keys"
        onClick={() => onMultilineChange(!multiline)}
      >
        <TextWrap aria-hidden="true" />
        Multi-line
      </button>
      <button
        type="button"
        className={toggle}
        aria-label={revealed ? 'Hide value' : 'Show value'}
        aria-controls={controlsId}
        onClick={() => onRevealedChange(!revealed)}
      >
        {revealed ? <EyeOff aria-hidden="true" /> : <Eye aria-hidden="true" />}
        {revealed ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}

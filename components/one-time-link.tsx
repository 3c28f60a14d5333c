'use client';

import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';

/** A one-time link shown once, read-only, with a Copy button (invites, password resets). */
export function OneTimeLink({ label, hint, link, copiedMessage }: { label: string; hint: string; link: string; copiedMessage: string }) {
  return (
    <Field label={label} hint={hint}>
      <div className="flex gap-2">
        <Input readOnly value={link} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={link} copiedMessage={copiedMessage} what="link" />
      </div>
    </Field>
  );
}

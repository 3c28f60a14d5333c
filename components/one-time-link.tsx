'use client';

import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';

/** A one-time link shown once, read-only, with a Copy button (invites, password resets). */
export function OneTimeLink({ label, hint, link, copiedMessage }: { label: string; hint: string; link: string; copiedMessage: string }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    await navigator.clipboard?.writeText(link).catch(() => undefined);
    setCopied(true);
    toast.success(copiedMessage);
  }

  return (
    <Field label={label} hint={hint}>
      <div className="flex gap-2">
        <Input readOnly value={link} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <Button type="button" onClick={copy}>
          {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />} Copy
        </Button>
      </div>
    </Field>
  );
}

'use client';

import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';

export type CopyButtonProps = {
  value: string;
  /** The success toast, e.g. "Token copied". */
  copiedMessage: string;
  /** What to select by hand when the clipboard cannot be used, e.g. "token": "Could not copy. Select the token and copy it yourself." */
  what: string;
  /** Accessible name when a panel has several Copy buttons, e.g. "Copy token". */
  label?: string;
};

/** `Copy` for a read-only value shown beside it; says so when the clipboard is unavailable (plain-http installs). */
export function CopyButton({ value, copiedMessage, what, label }: CopyButtonProps) {
  const [copiedValue, setCopiedValue] = useState<string | null>(null);

  async function copy() {
    try {
      // navigator.clipboard is undefined outside secure contexts (http:// other than localhost).
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setCopiedValue(value);
      toast.success(copiedMessage);
    } catch {
      setCopiedValue(null);
      toast.error(`Could not copy. Select the ${what} and copy it yourself.`);
    }
  }

  return (
    <Button type="button" onClick={copy} aria-label={label}>
      {copiedValue === value ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />} Copy
    </Button>
  );
}

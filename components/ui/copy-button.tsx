'use client';

import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { copyText } from '@/components/copy-text';
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
    setCopiedValue((await copyText(value, { what, copied: copiedMessage })) ? value : null);
  }

  return (
    <Button type="button" onClick={copy} aria-label={label}>
      {copiedValue === value ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />} Copy
    </Button>
  );
}

'use client';

import * as React from 'react';
import { ThemeSync } from '@/components/theme-toggle';
import { Toaster } from '@/components/ui/toaster';

/** Client-side app shell: the toaster and the theme sync. Wrap the root layout's body content. */
export function Providers({ children }: { children: React.ReactNode }) {
  return (
    <>
      <ThemeSync />
      {children}
      <Toaster />
    </>
  );
}

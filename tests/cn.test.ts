import { describe, expect, it } from 'vitest';
import { cn } from '@/components/ui/cn';

describe('cn', () => {
  it("lets a component's override win over its base classes", () => {
    // The redeploy dialog's "Rebuild needed" badge: the Badge base is one line high and never wraps.
    expect(cn('inline-flex h-5 px-2 whitespace-nowrap', 'h-auto py-0.5 whitespace-normal')).toBe('inline-flex px-2 h-auto py-0.5 whitespace-normal');
    expect(cn('bg-accent text-accent-foreground', 'bg-danger')).toBe('text-accent-foreground bg-danger');
  });

  it('keeps classes that do not conflict (a font size beside a colour, custom utilities) and skips falsy ones', () => {
    expect(cn('text-xs text-muted-foreground', false, null, undefined, 'focus-ring text-[13px]')).toBe('text-muted-foreground focus-ring text-[13px]');
    expect(cn('text-sm', 'text-danger-muted-foreground')).toBe('text-sm text-danger-muted-foreground');
  });
});

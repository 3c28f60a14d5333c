'use client';

import * as React from 'react';
import { Monitor, Moon, Sun } from 'lucide-react';
import { THEME_SCRIPT, THEME_STORAGE_KEY, type ThemePreference } from '@/components/ui/theme';
import { cn } from '@/components/ui/cn';

/*
 * Theme: light / dark / system, persisted in localStorage, applied as the
 * `dark` class on <html>.
 *
 * Root layout usage:
 *   <html lang="en" suppressHydrationWarning>
 *     <head><ThemeScript /></head>
 *     <body><Providers>{children}</Providers></body>
 *   </html>
 * (suppressHydrationWarning: the script adds the class before React hydrates.)
 */

/**
 * The pre-paint script as an element for <head>. It runs while the HTML is
 * parsed (hard loads); on the client it renders as inert text/plain so React
 * does not warn about a <script> and nothing runs twice.
 */
export function ThemeScript({ nonce }: { nonce?: string }) {
  return (
    <script
      nonce={nonce}
      type={typeof window === 'undefined' ? 'text/javascript' : 'text/plain'}
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }}
    />
  );
}

// ---------------------------------------------------------------------------
// A tiny external store over localStorage + prefers-color-scheme.

const listeners = new Set<() => void>();
const DARK_QUERY = '(prefers-color-scheme: dark)';

function readPreference(): ThemePreference {
  try {
    const value = window.localStorage.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

function systemPrefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches;
}

function resolve(preference: ThemePreference): 'light' | 'dark' {
  if (preference === 'system') return systemPrefersDark() ? 'dark' : 'light';
  return preference;
}

function applyTheme(preference: ThemePreference) {
  document.documentElement.classList.toggle('dark', resolve(preference) === 'dark');
}

function notify() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) {
    window.matchMedia?.(DARK_QUERY).addEventListener('change', onSystemChange);
    window.addEventListener('storage', onStorage);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.matchMedia?.(DARK_QUERY).removeEventListener('change', onSystemChange);
      window.removeEventListener('storage', onStorage);
    }
  };
}

function onSystemChange() {
  if (readPreference() === 'system') applyTheme('system');
  notify();
}

function onStorage(event: StorageEvent) {
  // Another tab changed the theme.
  if (event.key === THEME_STORAGE_KEY || event.key === null) {
    applyTheme(readPreference());
    notify();
  }
}

/** Saves and applies a theme preference. */
function setThemePreference(preference: ThemePreference) {
  try {
    if (preference === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Storage unavailable (private mode): still switch for this page.
  }
  applyTheme(preference);
  notify();
}

/** The saved preference ('system' during server rendering and hydration). */
function useThemePreference(): ThemePreference {
  return React.useSyncExternalStore(subscribe, readPreference, () => 'system');
}

/** The theme actually shown ('light' during server rendering and hydration). */
export function useResolvedTheme(): 'light' | 'dark' {
  return React.useSyncExternalStore(
    subscribe,
    () => resolve(readPreference()),
    () => 'light',
  );
}

/**
 * Re-applies the theme after hydration. In development React's Strict Mode
 * remount resets <html> attributes and drops the class the script set.
 * Rendered once by <Providers>.
 */
export function ThemeSync() {
  React.useLayoutEffect(() => {
    applyTheme(readPreference());
  }, []);
  return null;
}

const OPTIONS: { value: ThemePreference; label: string; Icon: typeof Sun }[] = [
  { value: 'light', label: 'Light theme', Icon: Sun },
  { value: 'dark', label: 'Dark theme', Icon: Moon },
  { value: 'system', label: 'System theme', Icon: Monitor },
];

/** Three small buttons (light / dark / system); the chosen one is pressed. */
export function ThemeToggle({ className }: { className?: string }) {
  const preference = useThemePreference();
  return (
    <div role="group" aria-label="Theme" className={cn('inline-flex items-center gap-0.5 rounded-full border bg-surface p-0.5', className)}>
      {OPTIONS.map(({ value, label, Icon }) => {
        const active = preference === value;
        return (
          <button
            key={value}
            type="button"
            aria-label={label}
            title={label}
            aria-pressed={active}
            onClick={() => setThemePreference(value)}
            className={cn(
              'focus-ring inline-flex size-7 items-center justify-center rounded-full transition-colors',
              active ? 'bg-surface-hover text-foreground' : 'text-muted-foreground hover:text-foreground',
            )}
          >
            <Icon aria-hidden="true" className="size-3.5" />
          </button>
        );
      })}
    </div>
  );
}

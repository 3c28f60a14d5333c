'use client';

import * as React from 'react';

// One shared clock for every <RelativeTime> on the page, ticking every 15 s.
let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let tickQueued = false;

function tick() {
  tickQueued = false;
  now = Date.now();
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // A newly shown time (e.g. in a dialog) should not read a stale clock: refresh everyone.
  if (!tickQueued) {
    tickQueued = true;
    queueMicrotask(tick);
  }
  if (!timer) timer = setInterval(tick, 15_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function getSnapshot() {
  if (now === 0) now = Date.now();
  return now;
}

// 0 = "not known yet": the server and the hydration pass render an
// approximation that the client then corrects (suppressHydrationWarning).
const getServerSnapshot = () => 0;

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
// A table shows the same few labels again and again ("3 days ago"): each is formatted once.
const relativeLabels = new Map<string, string>();

function relativeLabel(amount: number, unit: Intl.RelativeTimeFormatUnit): string {
  const id = `${amount} ${unit}`;
  let label = relativeLabels.get(id);
  if (label === undefined) relativeLabels.set(id, (label = relativeFormat.format(amount, unit)));
  return label;
}

/** "just now", "3 minutes ago", "2 days ago", "in 5 minutes". */
function formatRelativeTime(date: Date, nowMs: number): string {
  const seconds = Math.round((date.getTime() - nowMs) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size) return relativeLabel(Math.trunc(seconds / size), unit);
  }
  return relativeLabel(Math.sign(seconds) * Math.max(1, Math.round(abs / 60)), 'minute');
}

// Made once: a DateTimeFormat costs far more to build than to use (two per table row).
let fullDateFormat: Intl.DateTimeFormat | undefined;

/** "Mar 4, 2026, 14:05" in the reader's locale and time zone. */
export function formatFullDate(date: Date): string {
  fullDateFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return fullDateFormat.format(date);
}

/**
 * A relative time ("3 minutes ago") with the full date in its tooltip. It is
 * computed in the browser after hydration (the server's clock, locale and
 * time zone are not the reader's), and refreshes itself.
 */
export function RelativeTime({ date, className }: { date: string | Date; className?: string }) {
  const clock = React.useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return <span className={className}>—</span>;
  const reference = clock === 0 ? Date.now() : clock;
  return (
    // The full date is the reader's own: it is added once the browser's clock runs, not in the server's time zone.
    <time
      dateTime={typeof date === 'string' ? date : d.toISOString()}
      title={clock === 0 ? undefined : formatFullDate(d)}
      className={className}
      suppressHydrationWarning
    >
      {formatRelativeTime(d, reference)}
    </time>
  );
}

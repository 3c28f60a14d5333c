'use client';

import * as React from 'react';

/**
 * A list whose rows each carry a destructive button (Remove, Revoke): once a
 * removal is confirmed and the page re-reads, that button is gone and focus
 * would fall to the page body. Call the returned `removed(buttonId)` when the
 * removal succeeded; when the button has left the page, focus moves to the
 * same button of the next row, else of the previous row, else to `fallbackId`
 * (the list's heading or region). `buttonIds`: the rows' buttons, in order.
 */
export function useFocusAfterRemoval(buttonIds: readonly string[], fallbackId: string) {
  // The removed button's id, then where focus may go, best first.
  const pending = React.useRef<string[] | null>(null);

  // After every render: the re-read page may be the one without the button.
  React.useEffect(() => {
    if (!pending.current) return;
    const [removedId, ...candidates] = pending.current;
    if (document.getElementById(removedId)) return;
    pending.current = null;
    // Only focus that fell to the body moves: never away from where someone went meanwhile.
    if (document.activeElement && document.activeElement !== document.body) return;
    for (const id of [...candidates, fallbackId]) {
      const el = document.getElementById(id);
      el?.focus();
      if (el && document.activeElement === el) return;
    }
  });

  const latestIds = React.useRef(buttonIds);
  React.useLayoutEffect(() => {
    latestIds.current = buttonIds;
  });

  return React.useCallback((removedId: string) => {
    const ids = latestIds.current;
    const at = ids.indexOf(removedId);
    pending.current = [removedId, ...ids.slice(at + 1), ...ids.slice(0, Math.max(at, 0)).reverse()];
  }, []);
}

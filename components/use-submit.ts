'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { toast } from 'sonner';
import { ACTION_FAILURES, fail, type ActionFailure, type ActionName, type ActionResult } from '@/lib/action-result';

/** Failures that mean the page shows an outdated state: it is re-read, like after a success. */
const STALE: ReadonlySet<ActionFailure['code']> = new Set(['conflict', 'not_found']);

type FormErrors<F extends FieldValues> = Pick<UseFormReturn<F>, 'getValues' | 'setError'>;

export type SubmitOptions<A extends unknown[], T, F extends FieldValues> = {
  /** The form whose fields show the server's field errors (the first one focused). */
  form?: FormErrors<F>;
  /** The success toast (or none); a function gets the data and the call's arguments. */
  success?: string | ((data: T, args: A) => string);
  /** Runs on success, before the toast and the refresh (e.g. close a dialog, sign in, navigate). */
  onSuccess?: (data: T, args: A) => void | Promise<void>;
  /** Shows a failure no field took; return true when it did (otherwise: a toast). */
  onFailure?: (failure: ActionFailure) => boolean | void;
  /** false: the page is not re-read after a success (it would show a one-time link as used up). */
  refresh?: boolean;
};

/**
 * The one way the browser calls a server action: pending state, field errors
 * mapped back with setError, the action's generic failure sentence when the
 * call itself fails (network, crashed server), the success toast, and the one
 * refresh after a change (router.refresh: the page re-reads from the server).
 */
export function useSubmit<A extends unknown[], T, F extends FieldValues = FieldValues>(
  name: ActionName,
  action: (...args: A) => Promise<ActionResult<T>>,
  options: SubmitOptions<A, T, F> = {},
) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  // The latest options, read when a submit runs (so `submit` keeps its identity across renders).
  const latest = useRef(options);
  useLayoutEffect(() => {
    latest.current = options;
  });

  const submit = useCallback(
    async (...args: A): Promise<ActionResult<T>> => {
      const { form, success, onSuccess, onFailure, refresh = true } = latest.current;
      setPending(true);
      let result: ActionResult<T>;
      try {
        result = await action(...args);
      } catch {
        result = fail(ACTION_FAILURES[name], 'failed');
      }
      try {
        if (result.ok) {
          // Still pending while it signs in or navigates: no second submit.
          await onSuccess?.(result.data, args);
          const message = typeof success === 'function' ? success(result.data, args) : success;
          if (message) toast.success(message);
          if (refresh) router.refresh();
        } else {
          if (!(form && showFieldErrors(form, result)) && !onFailure?.(result)) toast.error(result.error);
          if (STALE.has(result.code)) router.refresh();
        }
      } finally {
        setPending(false);
      }
      return result;
    },
    [name, action, router],
  );

  return { submit, pending };
}

/** Puts each field error under its field of `form`; false when none belongs to one. */
function showFieldErrors<F extends FieldValues>(form: FormErrors<F>, failure: ActionFailure): boolean {
  const fields = Object.keys(form.getValues());
  let shown = false;
  for (const [field, message] of Object.entries(failure.fieldErrors ?? {})) {
    if (!message || !fields.includes(field)) continue;
    form.setError(field as Path<F>, { type: 'server', message }, { shouldFocus: !shown });
    shown = true;
  }
  return shown;
}

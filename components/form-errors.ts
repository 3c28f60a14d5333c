import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { toast } from 'sonner';
import type { ActionResult } from '@/lib/action-result';

/**
 * Shows a failed action's result on its form: each field error under its
 * field (fields the form does not have go to the toast), otherwise the
 * message as a toast. Returns true when the action succeeded.
 */
export function showActionErrors<T extends FieldValues, R>(form: UseFormReturn<T>, result: ActionResult<R>, fields: readonly Path<T>[]): result is { ok: true; data: R } {
  if (result.ok) return true;
  const fieldErrors = Object.entries(result.fieldErrors ?? {}).filter(([field]) => fields.includes(field as Path<T>));
  for (const [field, message] of fieldErrors) form.setError(field as Path<T>, { message });
  if (fieldErrors.length === 0) toast.error(result.error);
  return false;
}

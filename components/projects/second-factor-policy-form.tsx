'use client';

import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { FieldError } from '@/components/ui/field';
import { useSubmit } from '@/components/use-submit';
import { setSecondFactorRequirementAction } from '@/lib/projects/actions';
import type { SecondFactorPolicy } from '@/lib/projects/queries';
import type { SecondFactorPolicyInput } from '@/lib/projects/schemas';

/** The owner's switch: every member needs a second factor to use this project. */
export function SecondFactorPolicyForm({ projectId, policy }: { projectId: string; policy: SecondFactorPolicy }) {
  const form = useForm<SecondFactorPolicyInput>({ defaultValues: { required: policy.required } });
  const { errors, isDirty } = form.formState;
  const { submit, pending } = useSubmit('setSecondFactorRequirement', setSecondFactorRequirementAction, {
    form,
    success: (_, [, input]) => (input.required ? 'A second factor is now required' : 'A second factor is no longer required'),
  });
  const onSubmit = form.handleSubmit(async (input) => {
    if ((await submit(projectId, input)).ok) form.reset(input);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3">
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-0.5 size-4 accent-accent"
          aria-invalid={errors.required ? true : undefined}
          aria-describedby={errors.required ? 'require-second-factor-error' : undefined}
          {...form.register('required')}
        />
        <span>Require a second factor for everyone in this project</span>
      </label>
      {errors.required ? <FieldError id="require-second-factor-error">{errors.required.message}</FieldError> : null}
      <div>
        <Button type="submit" variant="primary" loading={pending} disabled={!isDirty}>
          Save
        </Button>
      </div>
    </form>
  );
}

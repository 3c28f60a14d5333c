'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useSubmit } from '@/components/use-submit';
import { renameProjectAction } from '@/lib/projects/actions';
import { projectSchema, type ProjectInput } from '@/lib/projects/schemas';

export function RenameProjectForm({ projectId, name }: { projectId: string; name: string }) {
  const form = useForm<ProjectInput>({ resolver: zodResolver(projectSchema), defaultValues: { name } });
  const { errors, isDirty } = form.formState;
  const { submit, pending } = useSubmit('renameProject', renameProjectAction, { form, success: 'Project renamed' });
  const onSubmit = form.handleSubmit(async (input) => {
    if ((await submit(projectId, input)).ok) form.reset(input);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start">
      <Field label="Project name" error={errors.name?.message} className="sm:max-w-sm sm:flex-1">
        <Input {...form.register('name')} />
      </Field>
      <Button type="submit" variant="primary" loading={pending} disabled={!isDirty} className="sm:mt-6.5">
        Save
      </Button>
    </form>
  );
}

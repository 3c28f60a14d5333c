'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { renameProjectAction } from '@/lib/projects/actions';
import { projectSchema, type ProjectInput } from '@/lib/projects/schemas';

export function RenameProjectForm({ projectId, name }: { projectId: string; name: string }) {
  const router = useRouter();
  const form = useForm<ProjectInput>({ resolver: zodResolver(projectSchema), defaultValues: { name } });
  const { errors, isSubmitting, isDirty } = form.formState;

  const onSubmit = form.handleSubmit(async (input) => {
    const result = await renameProjectAction(projectId, input);
    if (!result.ok) {
      if (result.fieldErrors?.name) form.setError('name', { message: result.fieldErrors.name });
      else toast.error(result.error);
      return;
    }
    form.reset(input);
    toast.success('Project renamed');
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start">
      <Field label="Project name" error={errors.name?.message} className="sm:max-w-sm sm:flex-1">
        <Input {...form.register('name')} />
      </Field>
      <Button type="submit" variant="primary" loading={isSubmitting} disabled={!isDirty} className="sm:mt-6.5">
        Save
      </Button>
    </form>
  );
}

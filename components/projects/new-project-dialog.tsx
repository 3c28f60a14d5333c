'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { createProjectAction } from '@/lib/projects/actions';
import { projectSchema, type ProjectInput } from '@/lib/projects/schemas';

export function NewProjectDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const form = useForm<ProjectInput>({ resolver: zodResolver(projectSchema), defaultValues: { name: '' } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (input) => {
    const result = await createProjectAction(input);
    if (!result.ok) {
      if (result.fieldErrors?.name) form.setError('name', { message: result.fieldErrors.name });
      else toast.error(result.error);
      return;
    }
    toast.success('Project created');
    router.push(`/projects/${result.data.slug}`);
  });

  return (
    <Dialog open={open} onOpenChange={(next) => { setOpen(next); if (!next) form.reset(); }}>
      <DialogTrigger asChild>
        <Button variant="primary">
          <Plus aria-hidden="true" /> New project
        </Button>
      </DialogTrigger>
      <DialogContent size="sm">
        <form onSubmit={onSubmit} noValidate>
          <DialogHeader>
            <DialogTitle>New project</DialogTitle>
            <DialogDescription>It gets development, staging and production environments and its own encryption key.</DialogDescription>
          </DialogHeader>
          <DialogBody>
            <Field label="Project name" error={errors.name?.message}>
              <Input autoFocus {...form.register('name')} />
            </Field>
          </DialogBody>
          <DialogFooter>
            <Button type="button" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" loading={isSubmitting}>
              Create project
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

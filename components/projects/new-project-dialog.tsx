'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useSubmit } from '@/components/use-submit';
import { createProjectAction } from '@/lib/projects/actions';
import { projectSchema, type ProjectInput } from '@/lib/projects/schemas';

export function NewProjectDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const form = useForm<ProjectInput>({ resolver: zodResolver(projectSchema), defaultValues: { name: '' } });
  const { errors } = form.formState;
  const { submit, pending } = useSubmit('createProject', createProjectAction, {
    form,
    success: 'Project created',
    onSuccess: ({ slug }) => router.push(`/projects/${slug}`),
  });
  const onSubmit = form.handleSubmit((input) => submit(input));

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) form.reset();
      }}
    >
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
            <Button type="submit" variant="primary" loading={pending}>
              Create project
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

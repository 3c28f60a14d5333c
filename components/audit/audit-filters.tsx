'use client';

import { useRouter } from 'next/navigation';
import Link from 'next/link';
import { Button, buttonVariants } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { AUDIT_FILTER_NAMES, auditQuery, type AuditFilters } from '@/lib/audit/schemas';
import { environmentLabel } from '@/lib/projects/schemas';

export type AuditFiltersFormProps = {
  basePath: string;
  /** The values in the URL as typed (invalid ones too, so they can be corrected). */
  values: AuditFilters;
  errors: AuditFilters;
  actors: { value: string; label: string }[];
  actions: { value: string; label: string }[];
  environments: string[];
};

/**
 * The filters, kept in the URL: a GET form (it works without JavaScript);
 * with JavaScript, empty fields are left out of the address.
 */
export function AuditFiltersForm({ basePath, values, errors, actors, actions, environments }: AuditFiltersFormProps) {
  const router = useRouter();
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const filters: AuditFilters = {};
    for (const name of AUDIT_FILTER_NAMES) {
      const value = String(data.get(name) ?? '').trim();
      if (value) filters[name] = value;
    }
    router.push(`${basePath}${auditQuery(filters)}`);
  };
  const active = AUDIT_FILTER_NAMES.some((name) => values[name]);
  return (
    <form method="get" action={basePath} onSubmit={onSubmit} aria-label="Filter events" className="grid gap-3 rounded-lg border bg-surface p-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field label="Actor" error={errors.actor}>
          <Select name="actor" defaultValue={values.actor ?? ''}>
            <option value="">Anyone</option>
            {actors.map((actor) => (
              <option key={actor.value} value={actor.value}>
                {actor.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Action" error={errors.action}>
          <Select name="action" defaultValue={values.action ?? ''}>
            <option value="">Any action</option>
            {actions.map((action) => (
              <option key={action.value} value={action.value}>
                {action.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Secret key" error={errors.key}>
          <Input name="key" mono defaultValue={values.key ?? ''} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Environment" error={errors.env}>
          <Select name="env" defaultValue={values.env ?? ''}>
            <option value="">All environments</option>
            {environments.map((name) => (
              <option key={name} value={name}>
                {environmentLabel(name)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="From" hint="UTC" error={errors.from}>
          <Input name="from" type="date" defaultValue={values.from ?? ''} />
        </Field>
        <Field label="To" hint="UTC, inclusive" error={errors.to}>
          <Input name="to" type="date" defaultValue={values.to ?? ''} />
        </Field>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        {active ? (
          <Link href={basePath} className={buttonVariants()}>
            Clear filters
          </Link>
        ) : null}
      </div>
    </form>
  );
}

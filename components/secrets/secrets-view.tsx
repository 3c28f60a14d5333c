'use client';

import * as React from 'react';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { ChevronLeft, ChevronRight, FileUp, KeyRound, ListFilter, Plus, Search, SearchX, X } from 'lucide-react';
import { Button, buttonVariants } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Select } from '@/components/ui/select';
import { Spinner } from '@/components/ui/spinner';
import { cn } from '@/components/ui/cn';
import { DeleteSecretDialog } from '@/components/secrets/delete-secret-dialog';
import { ImportSecretsDialog } from '@/components/secrets/import-secrets-dialog';
import { SecretFormDialog } from '@/components/secrets/secret-form-dialog';
import { SecretHistoryDialog } from '@/components/secrets/secret-history-dialog';
import { actionsButtonId, SecretsTable, type SecretAction } from '@/components/secrets/secrets-table';
import { environmentLabel } from '@/lib/projects/schemas';
import { useRedeployLauncher } from '@/components/deploys/redeploy-launcher';
import { secretListHref, type PublicFilter, type SecretListQuery, type SecretSort } from '@/lib/secrets/list-query';
import { SECRET_TYPE_LABELS, SECRET_TYPES, type SecretType } from '@/lib/secrets/schemas';
import type { SecretPage, SecretRow } from '@/lib/secrets/types';

export type SecretsViewProps = {
  projectId: string;
  environments: { id: string; name: string }[];
  environment: { id: string; name: string };
  page: SecretPage;
  query: SecretListQuery;
  /** Optional content above the toolbar, e.g. the "Secrets have changed… Redeploy" banner. */
  notice?: React.ReactNode;
};

const SORT_LABELS: Record<SecretSort, string> = {
  key: 'Key, A to Z',
  'key-desc': 'Key, Z to A',
  updated: 'Last updated, newest first',
  'updated-asc': 'Last updated, oldest first',
};

const PUBLIC_LABELS: Record<PublicFilter, string> = { yes: 'Public only', no: 'Not public' };

/** The Secrets settings page body: environment switcher, search, table, dialogs. */
export function SecretsView({ projectId, environments, environment, page, query, notice }: SecretsViewProps) {
  const pathname = usePathname();
  const { q, after } = query;
  // Links keep the search, sort and filters; a new search or filter starts at the first page.
  const hrefFor = (change: Partial<SecretListQuery>) => secretListHref(pathname, environment.name, { ...query, after: null, ...change });
  const filtered = Boolean(q || query.type || query.public);
  const envLabel = environmentLabel(environment.name);
  const redeploy = useRedeployLauncher(projectId);

  const [openDialog, setOpenDialog] = React.useState<SecretAction | 'create' | 'import' | null>(null);
  // KEY=value lines pasted into the Add dialog's key field: previewed as an import instead.
  const [pastedText, setPastedText] = React.useState<string | null>(null);
  const [target, setTarget] = React.useState<SecretRow | null>(null);
  // Where focus goes back to when a dialog closes.
  const returnFocusId = React.useRef<string | null>(null);
  const addButtonRef = React.useRef<HTMLButtonElement>(null);

  // The freshest copy of the row a dialog is about (the table may have refreshed).
  const current = target ? (page.rows.find((row) => row.id === target.id) ?? target) : null;

  const openFor = (action: SecretAction, row: SecretRow) => {
    returnFocusId.current = actionsButtonId(row.id);
    setTarget(row);
    setOpenDialog(action);
  };

  const openCreate = () => {
    returnFocusId.current = null;
    setOpenDialog('create');
  };

  const openImport = (text: string | null) => {
    setPastedText(text);
    setOpenDialog('import');
  };

  const onOpenChange = (open: boolean) => {
    if (!open) {
      setOpenDialog(null);
      setPastedText(null);
    }
  };

  const restoreFocus = (event: Event) => {
    event.preventDefault();
    const el =
      (returnFocusId.current ? document.getElementById(returnFocusId.current) : null) ?? addButtonRef.current ?? document.getElementById('secrets-heading');
    el?.focus();
  };

  const isEmptyEnvironment = page.rows.length === 0 && !filtered && !after;

  return (
    <section aria-labelledby="secrets-heading" className="grid grid-cols-1 gap-6">
      <header className="grid gap-1">
        <h1 id="secrets-heading" tabIndex={-1} className="text-xl leading-7 font-semibold tracking-tight outline-none">
          Secrets
        </h1>
        <p className="max-w-2xl text-sm text-muted-foreground">
          API keys, passwords, tokens and connection strings for this project, kept encrypted and handed to your deployments as environment variables. Values
          are write-only: once saved, nobody can read them here.
        </p>
      </header>

      {notice}

      <div className="flex flex-col gap-3 md:flex-row md:items-center">
        <EnvironmentSwitcher
          environments={environments}
          current={environment.name}
          hrefFor={(env) => secretListHref(pathname, env, { ...query, after: null })}
        />
        <div className="flex min-w-0 flex-1 items-center gap-2">
          <SecretsSearch q={q} hrefFor={(nextQ) => hrefFor({ q: nextQ })} />
          <Button onClick={() => openImport(null)}>
            <FileUp aria-hidden="true" />
            Import
          </Button>
          {isEmptyEnvironment ? null : (
            <Button ref={addButtonRef} variant="primary" onClick={openCreate}>
              <Plus aria-hidden="true" />
              Add Secret
            </Button>
          )}
        </div>
      </div>

      {isEmptyEnvironment ? null : <SecretsFilters query={query} hrefFor={hrefFor} />}

      {page.rows.length > 0 ? (
        <SecretsTable rows={page.rows} environmentName={envLabel} sort={query.sort} onAction={openFor} />
      ) : isEmptyEnvironment ? (
        <EmptyState
          icon={<KeyRound />}
          title={`No secrets in ${envLabel} yet`}
          description={
            <>
              A secret is a value your app needs but should never keep in its code: an API key, a password, a token, a database connection string. Keyhold
              stores it encrypted and hands it to your {envLabel.toLowerCase()} deployments as an environment variable.
            </>
          }
          action={
            <Button ref={addButtonRef} variant="primary" onClick={openCreate}>
              <Plus aria-hidden="true" />
              Add Secret
            </Button>
          }
        />
      ) : q ? (
        <EmptyState
          icon={<SearchX />}
          titleAs="p"
          title={<>No secrets match “{q}”.</>}
          description={`Search looks at keys and descriptions in ${envLabel}.`}
          action={
            <Link href={hrefFor({ q: '' })} className={buttonVariants()}>
              Clear search
            </Link>
          }
        />
      ) : filtered ? (
        <EmptyState
          icon={<ListFilter />}
          titleAs="p"
          title="No secrets match these filters."
          action={
            <Link href={hrefFor({ type: null, public: null })} className={buttonVariants()}>
              Clear filters
            </Link>
          }
        />
      ) : (
        <EmptyState
          titleAs="p"
          title="No more secrets."
          action={
            <Link href={hrefFor({})} className={buttonVariants()}>
              First page
            </Link>
          }
        />
      )}

      {page.rows.length > 0 && (after || page.nextCursor) ? (
        <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
          {after ? (
            <Link href={hrefFor({})} className={buttonVariants()}>
              <ChevronLeft aria-hidden="true" />
              First page
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={hrefFor({ after: page.nextCursor })} className={buttonVariants()}>
              Next page
              <ChevronRight aria-hidden="true" />
            </Link>
          ) : null}
        </nav>
      ) : null}

      <SecretFormDialog
        mode="create"
        projectId={projectId}
        environment={environment}
        environments={environments}
        onRedeploy={redeploy.open}
        open={openDialog === 'create'}
        onOpenChange={onOpenChange}
        onCloseAutoFocus={restoreFocus}
        onPasteLines={openImport}
      />
      <ImportSecretsDialog
        projectId={projectId}
        environments={environments}
        environmentId={environment.id}
        open={openDialog === 'import'}
        onOpenChange={onOpenChange}
        pastedText={pastedText}
        onCloseAutoFocus={restoreFocus}
      />
      {current ? (
        <>
          <SecretFormDialog
            key={current.id}
            mode="edit"
            projectId={projectId}
            secret={current}
            environment={environment}
            onRedeploy={redeploy.open}
            open={openDialog === 'edit'}
            onOpenChange={onOpenChange}
            onCloseAutoFocus={restoreFocus}
          />
          <SecretHistoryDialog
            projectId={projectId}
            secret={current}
            environmentName={environment.name}
            open={openDialog === 'history'}
            onOpenChange={onOpenChange}
            onCloseAutoFocus={restoreFocus}
          />
        </>
      ) : null}
      {redeploy.dialog}
      <DeleteSecretDialog
        projectId={projectId}
        secret={current}
        environmentName={environment.name}
        open={openDialog === 'delete'}
        onOpenChange={onOpenChange}
        onDeleted={() => {
          // The row is about to disappear: focus goes to "Add Secret" instead.
          returnFocusId.current = null;
        }}
        onCloseAutoFocus={restoreFocus}
      />
    </section>
  );
}

// ---------------------------------------------------------------------------

function EnvironmentSwitcher({
  environments,
  current,
  hrefFor,
}: {
  environments: { id: string; name: string }[];
  current: string;
  hrefFor: (env: string) => string;
}) {
  return (
    <nav aria-label="Environment" className="shrink-0">
      <ul className="flex w-full rounded-lg border bg-surface-muted p-0.5 md:w-auto">
        {environments.map((env) => {
          const active = env.name === current;
          return (
            <li key={env.id} className="flex-1 md:flex-none">
              <Link
                href={hrefFor(env.name)}
                aria-current={active ? 'page' : undefined}
                scroll={false}
                className={cn(
                  'focus-ring flex h-7 items-center justify-center rounded-md px-3 text-sm font-medium whitespace-nowrap transition-colors',
                  active ? 'bg-surface text-foreground shadow-xs ring-1 ring-border' : 'text-muted-foreground hover:text-foreground',
                )}
              >
                {environmentLabel(env.name)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Sort, type and Public: each change replaces the URL (the server sorts and filters). */
function SecretsFilters({ query, hrefFor }: { query: SecretListQuery; hrefFor: (change: Partial<SecretListQuery>) => string }) {
  const router = useRouter();
  const [isPending, startTransition] = React.useTransition();
  // Shown at once and built on by the next change, so two quick changes both count.
  const [shown, showChange] = React.useOptimistic(query, (current, change: Partial<SecretListQuery>) => ({ ...current, ...change }));
  const go = (change: Partial<SecretListQuery>) =>
    startTransition(() => {
      showChange(change);
      router.replace(hrefFor({ ...shown, ...change, after: null }), { scroll: false });
    });
  return (
    <div role="group" aria-label="Sort and filter" aria-busy={isPending || undefined} className="flex flex-wrap items-center gap-2">
      <Select aria-label="Sort" className="w-full sm:w-60" value={shown.sort} onChange={(e) => go({ sort: e.target.value as SecretSort })}>
        {Object.entries(SORT_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
      <Select
        aria-label="Type"
        className="min-w-0 flex-1 sm:w-44 sm:flex-none"
        value={shown.type ?? ''}
        onChange={(e) => go({ type: (e.target.value || null) as SecretType | null })}
      >
        <option value="">All types</option>
        {SECRET_TYPES.map((type) => (
          <option key={type} value={type}>
            {SECRET_TYPE_LABELS[type]}
          </option>
        ))}
      </Select>
      <Select
        aria-label="Public"
        className="min-w-0 flex-1 sm:w-40 sm:flex-none"
        value={shown.public ?? ''}
        onChange={(e) => go({ public: (e.target.value || null) as PublicFilter | null })}
      >
        <option value="">Public or not</option>
        {Object.entries(PUBLIC_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
      {isPending ? <Spinner className="size-4 text-muted-foreground" /> : null}
    </div>
  );
}

const SEARCH_DEBOUNCE_MS = 250;

/** Server-side search: updates `?q=` (keeping env, dropping after) 250 ms after typing stops. */
function SecretsSearch({ q, hrefFor }: { q: string; hrefFor: (q: string) => string }) {
  const router = useRouter();
  const [isPending, startTransition] = React.useTransition();
  const inputRef = React.useRef<HTMLInputElement>(null);
  const [value, setValue] = React.useState(q);
  // The query this box last asked the URL for; a different `q` prop means the URL changed elsewhere.
  const [requested, setRequested] = React.useState(q);
  const [prevQ, setPrevQ] = React.useState(q);
  if (q !== prevQ) {
    setPrevQ(q);
    if (q !== requested) {
      setValue(q);
      setRequested(q);
    }
  }

  const hrefRef = React.useRef(hrefFor);
  React.useEffect(() => {
    hrefRef.current = hrefFor;
  });

  React.useEffect(() => {
    const next = value.trim();
    if (next === requested) return;
    const timer = setTimeout(() => {
      setRequested(next);
      startTransition(() => router.replace(hrefRef.current(next), { scroll: false }));
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [value, requested, router]);

  return (
    <div role="search" className="relative min-w-0 flex-1 md:max-w-sm">
      <span aria-hidden="true" className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-muted-foreground">
        {isPending ? <Spinner className="size-4" /> : <Search className="size-4" />}
      </span>
      <input
        ref={inputRef}
        type="search"
        aria-label="Search secrets"
        placeholder="Search secrets"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            setValue('');
          }
        }}
        autoComplete="off"
        spellCheck={false}
        className={cn(
          'h-8 w-full min-w-0 rounded-md border border-input bg-surface pr-8 pl-8 text-base leading-6 text-foreground shadow-xs outline-none sm:text-sm',
          'placeholder:text-muted-foreground focus-visible:border-accent focus-visible:ring-3 focus-visible:ring-ring/25',
          '[&::-webkit-search-cancel-button]:appearance-none',
        )}
      />
      {value ? (
        <button
          type="button"
          aria-label="Clear search"
          onClick={() => {
            setValue('');
            inputRef.current?.focus();
          }}
          className="focus-ring absolute top-1/2 right-1 inline-flex size-6 -translate-y-1/2 items-center justify-center rounded text-muted-foreground hover:bg-surface-hover hover:text-foreground"
        >
          <X aria-hidden="true" className="size-3.5" />
        </button>
      ) : null}
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { ChevronLeft, ChevronRight, Download, ScrollText } from 'lucide-react';
import { AuditFiltersForm } from '@/components/audit/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { NoPermission } from '@/components/projects/no-permission';
import { buttonVariants } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ChainStatusPanel } from '@/components/audit/chain-status';
import { AUDIT_ACTIONS } from '@/lib/audit/action-labels';
import { auditChainStatus, auditFilterOptions, listAuditEvents } from '@/lib/audit/queries';
import { AUDIT_DENIED_HINT, AUDIT_FILTER_NAMES, auditQuery, parseAuditFilters, type AuditFilters } from '@/lib/audit/schemas';
import { projectForPage } from '@/lib/projects/queries';
import { allows, deniedMessage } from '@/lib/permissions';

export const metadata: Metadata = { title: 'Audit log · Keyhold' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: SearchParams }) {
  const [{ slug }, search] = await Promise.all([params, searchParams]);
  const project = await projectForPage(slug);
  if (!project) return null;
  const heading = (
    <div>
      <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
      <p className="mt-1 max-w-2xl text-sm text-muted-foreground">
        Every change to this project&apos;s secrets, deployments, hooks, tokens and members, newest first. Events are append-only and never carry a secret
        value.
      </p>
    </div>
  );
  // Hiding the page is not the check: listAuditEvents and the export check the role again.
  if (!allows(project.role, 'readAudit')) {
    return (
      <div className="grid grid-cols-1 gap-6">
        {heading}
        <NoPermission message={deniedMessage('readAudit')} hint={AUDIT_DENIED_HINT} />
      </div>
    );
  }

  const { filters, errors, cursor } = parseAuditFilters(search);
  const [page, options, chain] = await Promise.all([
    listAuditEvents(project.id, filters, cursor),
    auditFilterOptions(project.id),
    auditChainStatus(project.id),
  ]);
  const base = `/projects/${project.slug}/audit`;
  const typed: AuditFilters = {};
  for (const name of AUDIT_FILTER_NAMES) {
    const value = search[name];
    if (typeof value === 'string') typed[name] = value;
  }
  const filtered = Object.keys(filters).length > 0;

  return (
    <div className="grid grid-cols-1 gap-6">
      {heading}
      {/* Whoever may read the log may verify it (the data layer allows the same roles). */}
      <ChainStatusPanel slug={project.slug} status={chain} canVerify />
      <AuditFiltersForm
        basePath={base}
        values={typed}
        errors={errors}
        actors={options.actors}
        actions={AUDIT_ACTIONS.map(({ action, label }) => ({ value: action, label }))}
        environments={options.environments}
      />
      <div className="flex flex-wrap items-center justify-end gap-2">
        {(['csv', 'jsonl'] as const).map((format) => (
          // A plain link: the route handler streams the download and checks the role itself.
          <a key={format} href={`${base}/export${auditQuery(filters)}${filtered ? '&' : '?'}format=${format}`} download className={buttonVariants()}>
            <Download aria-hidden="true" />
            {format === 'csv' ? 'Export CSV' : 'Export JSON Lines'}
          </a>
        ))}
      </div>
      {page.rows.length > 0 ? (
        <AuditTable rows={page.rows} />
      ) : (
        <EmptyState
          icon={<ScrollText />}
          title={filtered ? 'No events match these filters' : 'No events yet'}
          description={filtered ? 'Change or clear the filters to see more.' : 'Changes to secrets, deployments, tokens and members appear here.'}
        />
      )}
      {page.newer || page.older ? (
        <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
          {page.newer ? (
            <Link href={`${base}${auditQuery(filters, { before: page.newer })}`} className={buttonVariants()}>
              <ChevronLeft aria-hidden="true" />
              Previous
            </Link>
          ) : null}
          {page.older ? (
            <Link href={`${base}${auditQuery(filters, { after: page.older })}`} className={buttonVariants()}>
              Next
              <ChevronRight aria-hidden="true" />
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

'use client';

import * as React from 'react';
import { Ellipsis, Globe, ListClock, Pencil, Trash } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { SECRET_TYPE_LABELS } from '@/lib/secrets/schemas';
import type { SecretRow } from '@/lib/secrets/types';

export type SecretAction = 'edit' | 'history' | 'delete';

export type SecretsTableProps = {
  rows: SecretRow[];
  /** For the table's accessible name, e.g. "Production". */
  environmentName: string;
  onAction: (action: SecretAction, row: SecretRow) => void;
};

/** id of a row's "Actions for KEY" button (dialogs return focus to it). */
export const actionsButtonId = (secretId: string) => `secret-actions-${secretId}`;

/**
 * The secrets of one environment. Values never appear. On narrow screens the
 * table scrolls sideways with the Key column pinned.
 */
export function SecretsTable({ rows, environmentName, onAction }: SecretsTableProps) {
  const label = `Secrets in ${environmentName}`;
  return (
    <TableContainer aria-label={label}>
      <Table className="min-w-[820px]" aria-label={label}>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="sticky left-0 z-10 bg-surface-muted sm:static">Key</TableHead>
            <TableHead>Description</TableHead>
            <TableHead>Type</TableHead>
            <TableHead>Last updated</TableHead>
            <TableHead>Created</TableHead>
            <TableHead className="w-14 text-right">
              <span>Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <SecretTableRow key={row.id} row={row} onAction={onAction} />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function SecretTableRow({ row, onAction }: { row: SecretRow; onAction: SecretsTableProps['onAction'] }) {
  return (
    <TableRow className="group">
      <TableCell className="sticky left-0 z-10 max-w-[20rem] min-w-[11rem] bg-surface group-hover:bg-surface-muted sm:static">
        <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
          <span className="min-w-0 font-mono text-[13px] font-medium [overflow-wrap:anywhere]">{row.key}</span>
          {row.isPublic ? (
            <Badge variant="warning" title="Embedded in browser bundles">
              <Globe aria-hidden="true" />
              Public
            </Badge>
          ) : null}
        </div>
        {row.sameValueAs ? <p className="mt-0.5 text-xs text-warning-muted-foreground">{row.sameValueAs}</p> : null}
      </TableCell>
      <TableCell className="max-w-[20rem] text-muted-foreground">
        {row.description ? (
          <span className="line-clamp-2 break-words" title={row.description}>
            {row.description}
          </span>
        ) : (
          <>
            <span aria-hidden="true">—</span>
            <span className="sr-only">None</span>
          </>
        )}
      </TableCell>
      <TableCell className="whitespace-nowrap">{SECRET_TYPE_LABELS[row.type] ?? row.type}</TableCell>
      <TableCell className="whitespace-nowrap">
        <RelativeTime date={row.updatedAt} />
        {row.updatedBy ? (
          <span className="block max-w-[12rem] truncate text-xs text-muted-foreground" title={row.updatedBy}>
            by {row.updatedBy}
          </span>
        ) : null}
      </TableCell>
      <TableCell className="whitespace-nowrap text-muted-foreground">
        <RelativeTime date={row.createdAt} />
      </TableCell>
      <TableCell className="text-right">
        <DropdownMenu modal={false}>
          <DropdownMenuTrigger asChild>
            <Button id={actionsButtonId(row.id)} variant="ghost" size="icon-sm" aria-label={`Actions for ${row.key}`}>
              <Ellipsis aria-hidden="true" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent>
            <DropdownMenuItem onSelect={() => onAction('edit', row)}>
              <Pencil aria-hidden="true" />
              Edit
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => onAction('history', row)}>
              <ListClock aria-hidden="true" />
              Change history
            </DropdownMenuItem>
            <DropdownMenuSeparator />
            <DropdownMenuItem variant="danger" onSelect={() => onAction('delete', row)}>
              <Trash aria-hidden="true" />
              Delete
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      </TableCell>
    </TableRow>
  );
}

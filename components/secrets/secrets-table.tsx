'use client';

import * as React from 'react';
import { Copy, Ellipsis, Globe, ListClock, Pencil, Trash } from 'lucide-react';
import { copyText } from '@/components/copy-text';
import { Badge } from '@/components/ui/badge';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { LastReadCell } from '@/components/secrets/last-read';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { SecretSort } from '@/lib/secrets/list-query';
import { SECRET_TYPE_LABELS } from '@/lib/secrets/schemas';
import type { SecretRow } from '@/lib/secrets/types';

export type SecretAction = 'edit' | 'history' | 'delete';

export type SecretsTableProps = {
  rows: SecretRow[];
  /** For the table's accessible name, e.g. "Production". */
  environmentName: string;
  sort: SecretSort;
  onAction: (action: SecretAction, row: SecretRow) => void;
};

/** id of a row's "Actions for KEY" button (dialogs return focus to it). */
export const actionsButtonId = (secretId: string) => `secret-actions-${secretId}`;

/** A key that line-breaks only after its underscores. */
function BreakableKey({ value }: { value: string }) {
  const parts = value.split(/(?<=_)/);
  return parts.map((part, i) => (
    <React.Fragment key={i}>
      {part}
      {i < parts.length - 1 ? <wbr /> : null}
    </React.Fragment>
  ));
}

// Fifty rows carry two small buttons each: their markup is kept short (plain
// <button>s, and icons drawn once and referenced with <use>).
const ROW_BUTTON =
  'focus-ring inline-flex size-7 shrink-0 items-center justify-center rounded-md text-muted-foreground hover:bg-surface-hover hover:text-foreground';

function RowIcons() {
  return (
    <svg aria-hidden="true" className="hidden">
      <symbol id="secrets-icon-copy" viewBox="0 0 24 24">
        <Copy />
      </symbol>
      <symbol id="secrets-icon-actions" viewBox="0 0 24 24">
        <Ellipsis />
      </symbol>
    </svg>
  );
}

const RowIcon = ({ name, className = 'size-4' }: { name: 'copy' | 'actions'; className?: string }) => (
  <svg aria-hidden="true" className={className}>
    <use href={`#secrets-icon-${name}`} />
  </svg>
);

type Column = {
  header: string;
  /** aria-sort of the header when the table is sorted by this column. */
  sortedBy?: Partial<Record<SecretSort, 'ascending' | 'descending'>>;
  className?: string;
  cell: (row: SecretRow) => React.ReactNode;
};

// One entry per column: a new column is one more entry here.
const COLUMNS: Column[] = [
  {
    header: 'Key',
    sortedBy: { key: 'ascending', 'key-desc': 'descending' },
    // Pinned left while the middle columns scroll on narrow screens.
    className: 'sticky left-0 z-10 max-w-[20rem] min-w-[9rem] bg-surface group-hover:bg-surface-muted sm:static',
    cell: (row) => (
      <div className="flex min-w-0 flex-wrap items-center gap-x-1 gap-y-1">
        <span className="min-w-0 font-mono text-[13px] font-medium break-normal">
          <BreakableKey value={row.key} />
        </span>
        <button
          type="button"
          aria-label={`Copy ${row.key}`}
          title="Copy key"
          className={`${ROW_BUTTON} size-6`}
          onClick={() => void copyText(row.key, { what: 'key', copied: 'Key copied' })}
        >
          <RowIcon name="copy" className="size-3.5" />
        </button>
        {row.isPublic ? (
          <Badge variant="warning" title="Embedded in browser bundles">
            <Globe aria-hidden="true" />
            Public
          </Badge>
        ) : null}
        {row.sameValueAs ? <p className="mt-0.5 w-full text-xs text-warning-muted-foreground">{row.sameValueAs}</p> : null}
      </div>
    ),
  },
  {
    header: 'Description',
    className: 'max-w-[20rem] min-w-[10rem] text-muted-foreground',
    cell: (row) =>
      row.description ? (
        <span className="line-clamp-2 break-words" title={row.description}>
          {row.description}
        </span>
      ) : (
        <>
          <span aria-hidden="true">—</span>
          <span className="sr-only">None</span>
        </>
      ),
  },
  { header: 'Type', className: 'whitespace-nowrap', cell: (row) => SECRET_TYPE_LABELS[row.type] ?? row.type },
  {
    header: 'Last updated',
    sortedBy: { updated: 'descending', 'updated-asc': 'ascending' },
    className: 'whitespace-nowrap',
    cell: (row) => (
      <>
        <RelativeTime date={row.updatedAt} />
        {row.updatedBy ? (
          <span className="block max-w-[12rem] truncate text-xs text-muted-foreground" title={row.updatedBy}>
            by {row.updatedBy}
          </span>
        ) : null}
      </>
    ),
  },
  {
    header: 'Created',
    className: 'whitespace-nowrap text-muted-foreground',
    cell: (row) => <RelativeTime date={row.createdAt} />,
  },
  { header: 'Last read', className: 'whitespace-nowrap', cell: (row) => <LastReadCell row={row} /> },
];

// Pinned right, so every row's actions stay on screen at any width.
const ACTIONS_CELL = 'sticky right-0 z-10 w-14 bg-surface text-right group-hover:bg-surface-muted';

/**
 * The secrets of one environment. Values never appear. On narrow screens the
 * middle columns scroll sideways between the pinned Key and Actions columns.
 */
export function SecretsTable({ rows, environmentName, sort, onAction }: SecretsTableProps) {
  const label = `Secrets in ${environmentName}`;
  // The one row whose menu is open: the others render a plain button until pressed.
  const [menuFor, setMenuFor] = React.useState<string | null>(null);
  return (
    <TableContainer aria-label={label}>
      <RowIcons />
      {/* Cell padding set once here: the rows' cells are plain <td>s. */}
      <Table className="min-w-[880px] [&_td]:px-4 [&_td]:py-2.5 [&_td]:align-middle [&_td:last-child]:pr-3" aria-label={label}>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            {COLUMNS.map((column, i) => (
              <TableHead
                key={column.header}
                aria-sort={column.sortedBy?.[sort]}
                className={i === 0 ? 'sticky left-0 z-10 bg-surface-muted sm:static' : undefined}
              >
                {column.header}
              </TableHead>
            ))}
            <TableHead className="sticky right-0 z-10 w-14 bg-surface-muted text-right">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.id} className="group">
              {COLUMNS.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
              <td className={ACTIONS_CELL}>
                <RowMenu row={row} open={menuFor === row.id} onOpenChange={(open) => setMenuFor(open ? row.id : null)} onAction={onAction} />
              </td>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/**
 * `Actions for KEY`: a plain button until pressed, then the menu (Edit,
 * Change history, Delete). Fifty rows do not each carry a menu's machinery.
 */
function RowMenu({
  row,
  open,
  onOpenChange,
  onAction,
}: {
  row: SecretRow;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onAction: SecretsTableProps['onAction'];
}) {
  const button = (
    <button
      type="button"
      id={actionsButtonId(row.id)}
      className={ROW_BUTTON}
      aria-label={`Actions for ${row.key}`}
      aria-haspopup="menu"
      aria-expanded={open}
      onClick={open ? undefined : () => onOpenChange(true)}
    >
      <RowIcon name="actions" />
    </button>
  );
  if (!open) return button;
  return (
    <DropdownMenu open onOpenChange={onOpenChange} modal={false}>
      <DropdownMenuTrigger asChild>{button}</DropdownMenuTrigger>
      <DropdownMenuContent
        onCloseAutoFocus={(event) => {
          // The button was replaced by its plain twin: focus goes there, unless a dialog opened from the menu took it.
          event.preventDefault();
          if (document.activeElement === document.body) document.getElementById(actionsButtonId(row.id))?.focus();
        }}
      >
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
  );
}

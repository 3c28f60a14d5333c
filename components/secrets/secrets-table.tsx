'use client';

import * as React from 'react';
import { Copy, Ellipsis, Globe, ListClock, Pencil, Trash } from 'lucide-react';
import { copyText } from '@/components/copy-text';
import { Badge } from '@/components/ui/badge';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { LastReadCell } from '@/components/secrets/last-read';
import { RelativeTime } from '@/components/ui/relative-time';
import { BreakAfterUnderscores, IconSprite, SpriteIcon } from '@/components/ui/row-markup';
import { Table, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
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

const ICONS = { copy: Copy, actions: Ellipsis };
const RowIcon = ({ name }: { name: keyof typeof ICONS }) => <SpriteIcon id={`secrets-icon-${name}`} />;

type Column = {
  header: string;
  /** aria-sort of the header when the table is sorted by this column. */
  sortedBy?: Partial<Record<SecretSort, 'ascending' | 'descending'>>;
  /** The cells' class: their styles are in app/globals.css under `.secrets-table`, not repeated on fifty rows. */
  className?: 'key' | 'description' | 'muted';
  cell: (row: SecretRow) => React.ReactNode;
};

// One entry per column: a new column is one more entry here.
const COLUMNS: Column[] = [
  {
    header: 'Key',
    sortedBy: { key: 'ascending', 'key-desc': 'descending' },
    className: 'key',
    cell: (row) => (
      <div>
        <span>
          <BreakAfterUnderscores value={row.key} />
        </span>
        <button type="button" aria-label={`Copy ${row.key}`} title="Copy key" onClick={() => void copyText(row.key, { what: 'key', copied: 'Key copied' })}>
          <RowIcon name="copy" />
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
    className: 'description',
    cell: (row) =>
      row.description ? (
        <span title={row.description}>{row.description}</span>
      ) : (
        <>
          <span aria-hidden="true">—</span>
          <span className="sr-only">None</span>
        </>
      ),
  },
  { header: 'Type', cell: (row) => SECRET_TYPE_LABELS[row.type] ?? row.type },
  {
    header: 'Last updated',
    sortedBy: { updated: 'descending', 'updated-asc': 'ascending' },
    cell: (row) => (
      <>
        <RelativeTime date={row.updatedAt} />
        {row.updatedBy ? (
          <span className="by" title={row.updatedBy}>
            by {row.updatedBy}
          </span>
        ) : null}
      </>
    ),
  },
  { header: 'Created', className: 'muted', cell: (row) => <RelativeTime date={row.createdAt} /> },
  { header: 'Last read', cell: (row) => <LastReadCell row={row} /> },
];

/**
 * The secrets of one environment. Values never appear. On narrow screens the
 * middle columns scroll sideways between the pinned Key and Actions columns.
 * The rows are plain elements styled by `.secrets-table` (app/globals.css):
 * fifty rows of repeated utility classes made most of the page's HTML.
 */
export function SecretsTable({ rows, environmentName, sort, onAction }: SecretsTableProps) {
  const label = `Secrets in ${environmentName}`;
  // The one row whose menu is open: the others render a plain button until pressed.
  const [menuFor, setMenuFor] = React.useState<string | null>(null);
  return (
    <TableContainer aria-label={label}>
      <IconSprite prefix="secrets-icon" icons={ICONS} />
      <Table className="secrets-table min-w-[880px]" aria-label={label}>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            {COLUMNS.map((column) => (
              <TableHead key={column.header} aria-sort={column.sortedBy?.[sort]}>
                {column.header}
              </TableHead>
            ))}
            <TableHead>Actions</TableHead>
          </TableRow>
        </TableHeader>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {COLUMNS.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
              <td>
                <RowMenu row={row} open={menuFor === row.id} onOpenChange={(open) => setMenuFor(open ? row.id : null)} onAction={onAction} />
              </td>
            </tr>
          ))}
        </tbody>
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

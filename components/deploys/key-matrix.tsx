'use client';

import * as React from 'react';
import { Check } from 'lucide-react';
import { useRedeployLauncher } from '@/components/deploys/redeploy-launcher';
import { SecretFormDialog } from '@/components/secrets/secret-form-dialog';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { KeyMatrix } from '@/lib/deploys/types';
import { environmentLabel } from '@/lib/projects/schemas';

type AddTarget = { key: string; environment: { id: string; name: string } };

/** A key that may wrap only after its underscores (phones). */
function WrappingKey({ name }: { name: string }) {
  return name.split(/(?<=_)/).map((part, i) => (
    <React.Fragment key={i}>
      {i > 0 ? <wbr /> : null}
      {part}
    </React.Fragment>
  ));
}

// Compact cells on phones, so a key and three environments fit 390 px without scrolling.
const CELL = 'px-2 first:pl-3 last:pr-3 sm:px-4 sm:first:pl-4';

/**
 * Keys × environments: which environment lacks which key, before a deploy.
 * Keys only. With `projectId` (owners and admins), a `Missing` cell opens the
 * Add dialog for that key and environment.
 */
export function KeyMatrixTable({ matrix, projectId }: { matrix: KeyMatrix; projectId?: string }) {
  const [adding, setAdding] = React.useState<AddTarget | null>(null);
  const [open, setOpen] = React.useState(false);
  const redeploy = useRedeployLauncher(projectId ?? '');
  if (matrix.totalKeys === 0) {
    return <p className="text-sm text-muted-foreground">No secrets in any environment yet.</p>;
  }
  return (
    <div className="grid gap-2">
      <p className="text-sm text-muted-foreground">
        {matrix.incompleteKeys === 0
          ? matrix.totalKeys === 1
            ? 'The key is present in every environment.'
            : `All ${matrix.totalKeys} keys are present in every environment.`
          : `${matrix.incompleteKeys === 1 ? '1 key is' : `${matrix.incompleteKeys} keys are`} missing in some environment.`}
        {matrix.rows.length < matrix.totalKeys ? ` Showing ${matrix.rows.length} of ${matrix.totalKeys} keys; missing ones come first.` : ''}
      </p>
      <TableContainer aria-label="Keys across environments">
        <Table aria-label="Keys across environments">
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead className={CELL}>Key</TableHead>
              {matrix.environments.map((environment) => (
                <TableHead key={environment.id} className={`${CELL} text-center`}>
                  {environmentLabel(environment.name)}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {matrix.rows.map((row) => (
              <TableRow key={row.key}>
                <TableHead
                  scope="row"
                  className={`${CELL} h-auto border-b-0 py-2 font-mono text-[13px] font-normal break-words whitespace-normal text-foreground`}
                >
                  <WrappingKey name={row.key} />
                </TableHead>
                {row.present.map((present, i) => (
                  <TableCell key={matrix.environments[i].id} className={`${CELL} text-center`}>
                    {present ? (
                      <span className="inline-flex text-success-muted-foreground">
                        <Check aria-hidden="true" className="size-4" />
                        <span className="sr-only">Present</span>
                      </span>
                    ) : projectId ? (
                      <button
                        type="button"
                        aria-label={`Add ${row.key} to ${environmentLabel(matrix.environments[i].name)}`}
                        className="rounded-full focus-ring"
                        onClick={() => {
                          setAdding({ key: row.key, environment: matrix.environments[i] });
                          setOpen(true);
                        }}
                      >
                        <Badge variant="warning" className="cursor-pointer hover:underline">
                          Missing
                        </Badge>
                      </button>
                    ) : (
                      <Badge variant="warning">Missing</Badge>
                    )}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {projectId && adding ? (
        <SecretFormDialog
          key={`${adding.key}:${adding.environment.id}`}
          mode="create"
          projectId={projectId}
          environment={adding.environment}
          environments={matrix.environments}
          defaultKey={adding.key}
          onRedeploy={redeploy.open}
          open={open}
          onOpenChange={setOpen}
        />
      ) : null}
      {redeploy.dialog}
    </div>
  );
}

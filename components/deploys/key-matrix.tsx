'use client';

import * as React from 'react';
import { Check } from 'lucide-react';
import { useRedeployLauncher } from '@/components/deploys/redeploy-launcher';
import { SecretFormDialog } from '@/components/secrets/secret-form-dialog';
import { BreakAfterUnderscores, IconSprite, SpriteIcon } from '@/components/ui/row-markup';
import { Table, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { KeyMatrix } from '@/lib/deploys/types';
import { environmentLabel } from '@/lib/projects/schemas';

type AddTarget = { key: string; environment: { id: string; name: string } };

const ICONS = { check: Check };

// Compact cells on phones, so a key and three environments fit 390 px without
// scrolling; the body's cells get the same from `.key-matrix` (app/globals.css).
const HEAD = 'px-2 first:pl-3 last:pr-3 sm:px-4 sm:first:pl-4';

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
        <IconSprite prefix="key-matrix" icons={ICONS} />
        <Table className="key-matrix" aria-label="Keys across environments">
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead className={HEAD}>Key</TableHead>
              {matrix.environments.map((environment) => (
                <TableHead key={environment.id} className={`${HEAD} text-center`}>
                  {environmentLabel(environment.name)}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <tbody>
            {matrix.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">
                  <BreakAfterUnderscores value={row.key} />
                </th>
                {row.present.map((present, i) => {
                  const environment = matrix.environments[i];
                  return (
                    <td key={environment.id}>
                      {present ? (
                        <>
                          <SpriteIcon id="key-matrix-check" />
                          <span className="sr-only">Present</span>
                        </>
                      ) : projectId ? (
                        <button
                          type="button"
                          className="missing"
                          aria-label={`Add ${row.key} to ${environmentLabel(environment.name)}`}
                          onClick={() => {
                            setAdding({ key: row.key, environment });
                            setOpen(true);
                          }}
                        >
                          Missing
                        </button>
                      ) : (
                        <span className="missing">Missing</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
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

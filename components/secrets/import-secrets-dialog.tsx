'use client';

import * as React from 'react';
import { FileUp } from 'lucide-react';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Field, useFieldControlProps } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { cn } from '@/components/ui/cn';
import { useSubmit } from '@/components/use-submit';
import type { ImportPreview, ImportRow } from '@/lib/imports/authorized';
import { applyImportAction, previewImportAction } from '@/lib/imports/actions';
import { formatOfFileName, guessFormat, IMPORT_STATUS_LABELS, IMPORT_STATUSES, type ImportFormat, type ImportStatus } from '@/lib/imports/schemas';
import { environmentLabel } from '@/lib/projects/schemas';

const STATUS_BADGE: Record<ImportStatus, BadgeVariant> = {
  new: 'success',
  changed: 'warning',
  unchanged: 'neutral',
  invalid: 'danger',
  duplicate: 'danger',
};

/** The text to import: kept in memory only, never put in a field (values would show in clear). */
type Source = { text: string; format: ImportFormat; origin: string };

export type ImportSecretsDialogProps = {
  projectId: string;
  environments: { id: string; name: string }[];
  /** Ticked when the dialog opens. */
  environmentId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Text pasted into the Add dialog's key field: previewed right away. */
  pastedText?: string | null;
  onCloseAutoFocus?: (event: Event) => void;
};

/** Secrets → Import: paste or choose a .env / vtex.env / flat JSON file, preview every key, apply all or nothing. */
export function ImportSecretsDialog(props: ImportSecretsDialogProps) {
  const { open, onOpenChange, onCloseAutoFocus } = props;
  const [pending, setPending] = React.useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next && pending) return;
        onOpenChange(next);
      }}
    >
      <DialogContent size="lg" onCloseAutoFocus={onCloseAutoFocus}>
        {/* Remounted on every open: nothing of a previous import stays in memory. */}
        {open ? <ImportFlow {...props} setPending={setPending} /> : null}
      </DialogContent>
    </Dialog>
  );
}

const rowId = (row: ImportRow) => `${row.environment ?? ''}\u0000${row.key}`;

function ImportFlow({
  projectId,
  environments,
  environmentId,
  pastedText,
  onOpenChange,
  setPending,
}: ImportSecretsDialogProps & { setPending: (pending: boolean) => void }) {
  const [source, setSource] = React.useState<Source | null>(() =>
    pastedText ? { text: pastedText, format: guessFormat(pastedText), origin: 'Pasted text' } : null,
  );
  const [targets, setTargets] = React.useState<string[]>([environmentId]);
  const [preview, setPreview] = React.useState<ImportPreview | null>(null);
  const [overwrite, setOverwrite] = React.useState<Set<string>>(new Set());
  const [errors, setErrors] = React.useState<{ text?: string; environmentIds?: string; form?: string; stale?: string }>({});
  const fileRef = React.useRef<HTMLInputElement>(null);

  // A preview changes nothing on the server: no refresh.
  const previewing = useSubmit('previewImport', previewImportAction, {
    refresh: false,
    onSuccess: (fresh) => {
      setPreview(fresh);
      setOverwrite(new Set());
    },
    onFailure: (failure) => {
      const { text, environmentIds } = failure.fieldErrors ?? {};
      setErrors(text || environmentIds ? { text, environmentIds } : { form: failure.error });
      return true;
    },
  });
  const applying = useSubmit('applyImport', applyImportAction, {
    success: (outcome) => ('applied' in outcome ? `Import complete: ${outcome.applied.created} created, ${outcome.applied.updated} updated` : ''),
    onSuccess: (outcome) => {
      if ('applied' in outcome) return onOpenChange(false);
      setPreview(outcome.stale);
      setOverwrite(new Set());
      setErrors({ stale: outcome.message });
    },
    onFailure: (failure) => (setErrors({ form: failure.error }), true),
  });
  const busy = previewing.pending ? 'preview' : applying.pending ? 'apply' : null;
  React.useEffect(() => setPending(busy === 'apply'), [busy, setPending]);

  const { submit: submitPreview } = previewing;
  const runPreview = React.useCallback(
    async (from: Source, environmentIds: string[]) => {
      setErrors({});
      await submitPreview(projectId, { format: from.format, text: from.text, environmentIds });
    },
    [projectId, submitPreview],
  );

  // Opened from a paste into the Add dialog: straight to the preview.
  const autoPreviewed = React.useRef(false);
  React.useEffect(() => {
    if (pastedText && !autoPreviewed.current) {
      autoPreviewed.current = true;
      void runPreview({ text: pastedText, format: guessFormat(pastedText), origin: 'Pasted text' }, [environmentId]);
    }
  }, [pastedText, environmentId, runPreview]);

  const apply = async () => {
    if (!source || !preview) return;
    setErrors({});
    const chosen = preview.rows.filter((r) => r.status === 'changed' && overwrite.has(rowId(r)));
    await applying.submit(projectId, {
      format: source.format,
      text: source.text,
      environmentIds: targets,
      previewId: preview.id,
      overwrite: chosen.map((r) => ({ environment: r.environment!, key: r.key })),
    });
  };

  const readFile = async (file: File) => {
    const text = await file.text();
    setSource({ text, format: formatOfFileName(file.name) ?? guessFormat(text), origin: file.name });
    setPreview(null);
    setErrors({});
  };

  if (preview && source) {
    return (
      <PreviewStep
        preview={preview}
        source={source}
        overwrite={overwrite}
        setOverwrite={setOverwrite}
        stale={errors.stale}
        formError={errors.form}
        busy={busy}
        onBack={() => {
          setPreview(null);
          setErrors({});
        }}
        onApply={apply}
      />
    );
  }

  return (
    <form
      className="flex min-h-0 flex-col"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!source) {
          setErrors({ text: 'Paste text or choose a file first.' });
          return;
        }
        void runPreview(source, targets);
      }}
    >
      <DialogHeader>
        <DialogTitle>Import secrets</DialogTitle>
        <DialogDescription>
          From a .env, vtex.env or flat JSON file (such as secrets.revealed.json). You see a preview before anything is saved; values are never shown.
        </DialogDescription>
      </DialogHeader>
      <DialogBody className="grid gap-4">
        <Field
          label="Paste .env or JSON"
          hint={source ? `${source.origin}: ${lineCount(source.text)} (not shown)` : 'Paste here. The text is kept out of sight: values are never shown.'}
          error={errors.text}
        >
          <PasteTarget
            ready={source !== null}
            onText={(text) => {
              setSource({ text, format: guessFormat(text), origin: 'Pasted text' });
              setErrors({});
            }}
          />
        </Field>
        <div className="flex flex-wrap items-center gap-2">
          <input
            ref={fileRef}
            type="file"
            accept=".env,.json,text/plain,application/json"
            className="sr-only"
            aria-label="Choose a file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void readFile(file);
              e.target.value = '';
            }}
          />
          <Button type="button" onClick={() => fileRef.current?.click()}>
            <FileUp aria-hidden="true" />
            Choose a file
          </Button>
          <span className="text-xs text-muted-foreground">.env, vtex.env or .json</span>
        </div>
        <Field label="Format">
          <Select
            value={source?.format ?? 'env'}
            disabled={!source}
            onChange={(e) => source && setSource({ ...source, format: e.target.value as ImportFormat })}
          >
            <option value="env">.env (dotenv)</option>
            <option value="json">JSON (flat, string values)</option>
          </Select>
        </Field>
        <fieldset className="grid gap-1.5" aria-describedby={errors.environmentIds ? 'import-environments-error' : undefined}>
          <legend className="mb-1.5 text-sm font-medium">Import into</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-2">
            {environments.map((env) => (
              <label key={env.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-4 accent-[var(--accent)]"
                  checked={targets.includes(env.id)}
                  onChange={(e) => setTargets((now) => (e.target.checked ? [...now, env.id] : now.filter((id) => id !== env.id)))}
                />
                {environmentLabel(env.name)}
              </label>
            ))}
          </div>
          {errors.environmentIds ? (
            <p id="import-environments-error" role="alert" className="text-xs text-danger">
              {errors.environmentIds}
            </p>
          ) : null}
        </fieldset>
        {errors.form ? <Banner variant="danger">{errors.form}</Banner> : null}
      </DialogBody>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="primary" loading={busy === 'preview'}>
          Preview
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Takes pasted text without ever displaying it (typing is ignored): a .env in a text field would show every value. */
function PasteTarget({ ready, onText }: { ready: boolean; onText: (text: string) => void }) {
  const a11y = useFieldControlProps({});
  return (
    <textarea
      {...a11y}
      rows={2}
      value=""
      onChange={() => undefined}
      onPaste={(e) => {
        e.preventDefault();
        const text = e.clipboardData.getData('text/plain');
        if (text) onText(text);
      }}
      autoComplete="off"
      spellCheck={false}
      placeholder={ready ? 'Text ready to preview. Paste again to replace it.' : 'Paste with Ctrl+V or ⌘V'}
      className={cn(
        'block min-h-12 w-full resize-none rounded-md border border-input bg-surface px-2.5 py-1.5 text-base leading-5 shadow-xs outline-none sm:text-sm',
        'placeholder:text-muted-foreground focus-visible:border-accent focus-visible:ring-3 focus-visible:ring-ring/25',
      )}
    />
  );
}

const lineCount = (text: string) => {
  const n = text.split(/\r\n|\r|\n/).filter((l) => l.trim()).length;
  return `${n} ${n === 1 ? 'line' : 'lines'}`;
};

const linesText = (lines: number[]) =>
  lines.length === 0 ? '' : lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;

function PreviewStep({
  preview,
  source,
  overwrite,
  setOverwrite,
  stale,
  formError,
  busy,
  onBack,
  onApply,
}: {
  preview: ImportPreview;
  source: Source;
  overwrite: Set<string>;
  setOverwrite: (next: Set<string>) => void;
  stale?: string;
  formError?: string;
  busy: 'preview' | 'apply' | null;
  onBack: () => void;
  onApply: () => void;
}) {
  const several = preview.environments.length > 1;
  const writes = preview.counts.new + preview.rows.filter((r) => r.status === 'changed' && overwrite.has(rowId(r))).length;
  const into = preview.environments.map(environmentLabel).join(', ');
  return (
    <div className="flex min-h-0 flex-col">
      <DialogHeader>
        <DialogTitle>Import preview</DialogTitle>
        <DialogDescription>
          {source.origin} ({source.format === 'json' ? 'JSON' : '.env'}) into <span className="font-medium text-foreground">{into}</span>. Nothing is saved
          until you import; values are never shown.
        </DialogDescription>
      </DialogHeader>
      <DialogBody className="grid gap-3">
        {stale ? (
          <Banner variant="warning" role="alert">
            {stale}
          </Banner>
        ) : null}
        <ul aria-label="Counts" className="flex flex-wrap gap-2">
          {IMPORT_STATUSES.map((status) => (
            <li key={status}>
              <Badge variant={preview.counts[status] ? STATUS_BADGE[status] : 'neutral'}>
                {IMPORT_STATUS_LABELS[status]}: {preview.counts[status]}
              </Badge>
            </li>
          ))}
        </ul>
        <TableContainer aria-label="Import preview">
          <Table aria-label="Import preview">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Key</TableHead>
                {several ? <TableHead>Environment</TableHead> : null}
                <TableHead>Status</TableHead>
                <TableHead>Details</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {preview.rows.map((row) => {
                const id = rowId(row);
                const where = row.environment ? ` in ${environmentLabel(row.environment)}` : '';
                return (
                  <TableRow key={`${row.status}${id}`}>
                    <TableCell className="font-mono text-[13px] [overflow-wrap:anywhere]">{row.key}</TableCell>
                    {several ? <TableCell>{row.environment ? environmentLabel(row.environment) : '—'}</TableCell> : null}
                    <TableCell>
                      <Badge variant={STATUS_BADGE[row.status]}>{IMPORT_STATUS_LABELS[row.status]}</Badge>
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      {row.status === 'changed' ? (
                        <Select
                          aria-label={`${row.key}${where}`}
                          value={overwrite.has(id) ? 'overwrite' : 'skip'}
                          onChange={(e) => {
                            const next = new Set(overwrite);
                            if (e.target.value === 'overwrite') next.add(id);
                            else next.delete(id);
                            setOverwrite(next);
                          }}
                          className="w-32"
                        >
                          <option value="skip">Skip</option>
                          <option value="overwrite">Overwrite</option>
                        </Select>
                      ) : row.status === 'invalid' ? (
                        <span>
                          {row.reason}
                          {row.lines.length ? ` (${linesText(row.lines)})` : ''}
                        </span>
                      ) : row.status === 'duplicate' ? (
                        <span>{`Written on ${linesText(row.lines)}`}</span>
                      ) : row.lines.length ? (
                        linesText(row.lines)
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
        {formError ? <Banner variant="danger">{formError}</Banner> : null}
      </DialogBody>
      <DialogFooter>
        <Button variant="secondary" onClick={onBack} disabled={busy !== null}>
          Back
        </Button>
        <Button variant="primary" onClick={onApply} loading={busy === 'apply'} disabled={writes === 0}>
          {`Import ${writes} ${writes === 1 ? 'secret' : 'secrets'}`}
        </Button>
      </DialogFooter>
    </div>
  );
}

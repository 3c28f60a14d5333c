import { Lock } from 'lucide-react';

/** What a person without the needed role sees instead of a settings page (server-compatible). */
export function NoPermission({
  title,
  message,
  hint,
}: {
  /** h1; leave out when the page shows its own heading. */ title?: string;
  message: string;
  hint: string;
}) {
  return (
    <section className="grid grid-cols-1 gap-6">
      {title ? <h1 className="text-xl leading-7 font-semibold tracking-tight">{title}</h1> : null}
      <div className="flex items-start gap-3 rounded-lg border bg-surface px-4 py-4">
        <span aria-hidden="true" className="flex size-8 shrink-0 items-center justify-center rounded-full border bg-surface-muted text-muted-foreground">
          <Lock className="size-4" />
        </span>
        <div className="grid gap-0.5 pt-1.5">
          <p className="font-medium">{message}</p>
          <p className="text-sm text-muted-foreground">{hint}</p>
        </div>
      </div>
    </section>
  );
}

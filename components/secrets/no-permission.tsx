import { Lock } from 'lucide-react';

/** What a member without the right role sees instead of the secrets (server-compatible). */
export function NoPermission({ title = 'Secrets' }: { /** Page heading (h1); null when the page renders its own. */ title?: string | null }) {
  return (
    <section className="grid gap-6">
      {title ? <h1 className="text-xl leading-7 font-semibold tracking-tight">{title}</h1> : null}
      <div className="flex items-start gap-3 rounded-lg border bg-surface px-4 py-4">
        <span
          aria-hidden="true"
          className="flex size-8 shrink-0 items-center justify-center rounded-full border bg-surface-muted text-muted-foreground"
        >
          <Lock className="size-4" />
        </span>
        <div className="grid gap-0.5 pt-1.5">
          <p className="font-medium">You don&apos;t have permission to manage secrets.</p>
          <p className="text-sm text-muted-foreground">Ask a project owner or admin if you need access.</p>
        </div>
      </div>
    </section>
  );
}

import { Lock } from 'lucide-react';

/** What a member sees instead of the tokens (server-compatible). */
export function NoTokenPermission() {
  return (
    <div className="flex items-start gap-3 rounded-lg border bg-surface px-4 py-4">
      <span
        aria-hidden="true"
        className="flex size-8 shrink-0 items-center justify-center rounded-full border bg-surface-muted text-muted-foreground"
      >
        <Lock className="size-4" />
      </span>
      <div className="grid gap-0.5 pt-1.5">
        <p className="font-medium">You don&apos;t have permission to manage service tokens.</p>
        <p className="text-sm text-muted-foreground">Project owners and admins create and revoke tokens. Ask one of them if you need one.</p>
      </div>
    </div>
  );
}

import Link from 'next/link';

/**
 * An empty project's first steps, each linking to where it is done. Server
 * component. Members see the steps without links (they cannot do them).
 */
export function GettingStarted({ slug, canManage }: { slug: string; canManage: boolean }) {
  const base = `/projects/${slug}`;
  const steps = [
    {
      title: 'Add a secret',
      text: 'An API key, a password, a connection string: stored encrypted, never shown again.',
      href: `${base}/settings/secrets`,
      link: 'Open Secrets',
    },
    {
      title: 'Redeploy',
      text: 'Press Redeploy on the Secrets page: consumers read only the latest successful deployment.',
      href: `${base}/settings/secrets`,
      link: 'Redeploy from Secrets',
    },
    {
      title: 'Create a token',
      text: 'Give a machine (CI, a server) a service token to read the deployed secrets with the CLI or the API.',
      href: `${base}/settings/tokens`,
      link: 'Open Tokens',
    },
  ];
  return (
    <section aria-labelledby="getting-started-heading" className="grid gap-3 rounded-lg border border-border bg-surface p-5 shadow-xs">
      <h2 id="getting-started-heading" className="text-base font-semibold">
        Get started
      </h2>
      <ol className="grid gap-4 md:grid-cols-3">
        {steps.map((step, i) => (
          <li key={step.title} className="grid content-start gap-1">
            <p className="font-medium">
              <span aria-hidden="true" className="mr-2 inline-flex size-6 items-center justify-center rounded-full bg-surface-muted text-xs">
                {i + 1}
              </span>
              {step.title}
            </p>
            <p className="text-sm text-muted-foreground">{step.text}</p>
            {canManage ? (
              <Link href={step.href} className="w-fit rounded text-sm font-medium text-accent hover:underline focus-ring">
                {step.link}
              </Link>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

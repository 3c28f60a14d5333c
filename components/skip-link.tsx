import { cn } from '@/components/ui/cn';

const MAIN_ID = 'main';

/** The first focusable element of every page: jumps past the header to <Main>. Hidden until focused. */
export function SkipLink() {
  return (
    <a
      href={`#${MAIN_ID}`}
      className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-100 focus:rounded-md focus:border focus:bg-surface focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-foreground focus:shadow-popover"
    >
      Skip to content
    </a>
  );
}

/** The page's one <main> landmark, the skip link's target (focusable by script, not by Tab). */
export function Main({ className, ...props }: Omit<React.ComponentProps<'main'>, 'id' | 'tabIndex'>) {
  return <main id={MAIN_ID} tabIndex={-1} className={cn('outline-none', className)} {...props} />;
}

/** Where focus goes when its place has left the page: the page's heading when focusable (tabIndex -1), else <Main>. */
export function focusMain() {
  const heading = document.querySelector<HTMLElement>(`#${MAIN_ID} h1`);
  heading?.focus();
  if (!heading || document.activeElement !== heading) document.getElementById(MAIN_ID)?.focus();
}

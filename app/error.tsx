'use client';

import { Main } from '@/components/skip-link';
import AppError from './(app)/error';

// Failures above the project pages' own boundary, e.g. the signed-in layout
// when the database cannot be reached: the same friendly page, in its own <main>
// (the signed-in layout's is not rendered).
export default function RootError(props: React.ComponentProps<typeof AppError>) {
  return (
    <Main>
      <AppError {...props} />
    </Main>
  );
}

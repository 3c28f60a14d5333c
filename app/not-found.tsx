import { NotFoundMessage } from '@/components/not-found-message';
import { Main } from '@/components/skip-link';

export default function NotFound() {
  return (
    <Main className="flex min-h-dvh flex-col justify-center">
      <NotFoundMessage />
    </Main>
  );
}

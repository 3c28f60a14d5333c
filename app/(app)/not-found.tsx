import { NotFoundMessage } from '@/components/not-found-message';

// A project or page that is not there, inside the signed-in layout (which has the <main>).
export default function NotFound() {
  return <NotFoundMessage />;
}

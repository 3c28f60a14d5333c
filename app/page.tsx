import { redirect } from 'next/navigation';
import { needsSetup } from '@/lib/auth/setup';
import { getSessionUser } from '@/lib/session';

export default async function Home() {
  if (await needsSetup()) redirect('/setup');
  redirect((await getSessionUser()) ? '/projects' : '/login');
}

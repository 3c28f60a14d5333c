import { redirect } from 'next/navigation';

export default async function SettingsIndex({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  // Settings opens Secrets (DESIGN.md §6): what people come to settings for.
  redirect(`/projects/${slug}/settings/secrets`);
}

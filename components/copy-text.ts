import { toast } from 'sonner';

/**
 * Copies text to the clipboard with a toast either way. The clipboard is
 * unavailable on plain-http installs: then the reader is told to copy by hand.
 */
export async function copyText(text: string, { what, copied }: { what: string; copied: string }): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    toast.success(copied);
    return true;
  } catch {
    toast.error(`Could not copy. Select the ${what} and copy it yourself.`);
    return false;
  }
}

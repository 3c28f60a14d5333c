import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { THEME_STORAGE_KEY } from '../components/ui/theme';
import { expect } from './fixtures';

export type Theme = 'light' | 'dark';
export const THEMES: Theme[] = ['light', 'dark'];

/** Every page the context opens from now on starts in this theme (set before the pre-paint script reads it). */
export async function useTheme(page: Page, theme: Theme) {
  await page.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [THEME_STORAGE_KEY, theme] as const);
  // Dialogs and menus fade in; axe must see their final colours.
  await page.emulateMedia({ reducedMotion: 'reduce' });
}

/**
 * axe-core on the whole page as it is now (an open dialog included): no serious or critical violation.
 * A soft assertion: a test checking many states reports every failing one.
 */
export async function expectAccessible(page: Page, what: string, theme: Theme) {
  await expect(page.locator('html'), `${what} is shown in the ${theme} theme`).toHaveClass(theme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b)/);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`);
  expect.soft(serious, `${what} (${theme}): serious or critical axe violations`).toEqual([]);
}

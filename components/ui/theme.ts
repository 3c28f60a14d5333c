// Theme constants shared by the pre-paint script and the client store.
// No hooks and no 'use client' here, so a server component may import the string too.

export type ThemePreference = 'light' | 'dark' | 'system';

export const THEME_STORAGE_KEY = 'keyhold-theme';

/**
 * Runs before first paint (in <head>): applies the saved preference, or the
 * system one, as the `dark` class on <html>. Tiny, no dependencies, never throws.
 */
export const THEME_SCRIPT = `(function(){try{var p=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)});var d=p==="dark"||(p!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;

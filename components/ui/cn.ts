import { twMerge } from 'tailwind-merge';

/** Joins class names, skipping falsy values; a later Tailwind class overrides a conflicting earlier one (tailwind-merge). */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return twMerge(classes);
}

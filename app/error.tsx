'use client';

// Failures above the project pages' own boundary, e.g. the signed-in layout
// when the database cannot be reached: the same friendly page.
export { default } from './(app)/error';

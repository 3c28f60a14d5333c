import { defineConfig } from 'prisma/config';

// Used by `prisma generate` only; migrations run through scripts/migrate.mjs
// (Prisma's schema engine as WebAssembly), see STACK notes in the README.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});

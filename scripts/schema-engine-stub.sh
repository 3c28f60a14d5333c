#!/bin/sh
echo "Keyhold runs Prisma's schema engine as WebAssembly: use 'npm run migrate' (scripts/migrate.mjs), not 'prisma migrate'." >&2
exit 1

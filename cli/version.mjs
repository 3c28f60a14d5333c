// @ts-check
// The CLI's version (tests/cli-help.test.ts keeps it equal to package.json's).
export const CLI_VERSION = '0.1.0';

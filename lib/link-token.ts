import { createHash, randomBytes } from 'node:crypto';

// One-time links (invites, password resets): the token travels in the link
// and only its SHA-256 is stored, so the database alone cannot redeem one.

export const newLinkToken = () => randomBytes(32).toString('base64url');

export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

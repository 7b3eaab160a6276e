// npm start: the production entry. Checks the Node.js version first, then runs the TypeScript sources through
// tsx (a runtime dependency) in this same process, so `npm ci --omit=dev && npm start` needs no compiler and
// signals reach the bot directly (no wrapper process between it and systemd).
import { requireNodeVersion } from '../src/node-version.mjs';

requireNodeVersion();
const { register } = await import('tsx/esm/api');
register();
await import('../src/main.ts');

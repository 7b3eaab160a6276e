// The Node.js version Loa needs, checked before anything else is loaded. Plain JavaScript on purpose: an older
// Node.js must be able to run this file and print a clear message, before any TypeScript loader or newer API
// would fail with an obscure one. package.json's "engines" states the same minimum (a test keeps them equal).

/** APIs from 20.3 (AbortSignal.any, among others), import.meta.dirname and the test runner from 20.11. */
export const MINIMUM_NODE_VERSION = '20.11.0';

/** Why this Node.js version cannot run Loa, or undefined when it can. `version` as in process.versions.node. */
export function nodeVersionProblem(version) {
  const have = String(version).replace(/^v/, '').split('.').map(Number);
  const need = MINIMUM_NODE_VERSION.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const h = Number.isFinite(have[i]) ? have[i] : 0;
    if (h > need[i]) return undefined;
    if (h < need[i]) {
      return `Loa needs Node.js ${MINIMUM_NODE_VERSION} or later; this is ${version}. Install a current LTS release (https://nodejs.org) and start again.`;
    }
  }
  return undefined;
}

/** Stops the process (exit code 2, as for a configuration error) with one line when Node.js is too old. */
export function requireNodeVersion(version = process.versions.node) {
  const problem = nodeVersionProblem(version);
  if (problem) {
    process.stderr.write(`loa: ${problem}\n`);
    process.exit(2);
  }
}

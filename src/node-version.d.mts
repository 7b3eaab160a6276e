/** See node-version.mjs: plain JavaScript, so that an old Node.js can run it. */
export declare const MINIMUM_NODE_VERSION: string;
export declare function nodeVersionProblem(version: string): string | undefined;
export declare function requireNodeVersion(version?: string): void;

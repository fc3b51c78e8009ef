/** Types of spec-citation-files.mjs, for the TypeScript tests that import it. */
export declare const ROOT: string;
export declare function specCitationFiles(): Generator<{ path: string; rel: string }>;

/** Options every importer accepts. */
export interface ConvertOptions {
  /** Suite name written to session.json; each format has a default. */
  suite?: string;
}

/** One input format: a cheap `detect` and a `convert` that writes native sessions. */
export interface SessionFormat {
  name: string;
  /** True when `path` (a file or folder) looks like this format. Never throws for a readable path. */
  detect(path: string): Promise<boolean>;
  /** Writes one native session per recording found at `path` under `outDir`; returns their ids. */
  convert(path: string, outDir: string, opts: ConvertOptions): Promise<string[]>;
}

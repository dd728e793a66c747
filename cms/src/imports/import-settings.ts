import path from 'path';

/** Limits and places of the import pipeline, from the environment (config/.env.example). */
export function importSettings(env: NodeJS.ProcessEnv = process.env) {
  const n = (v: string | undefined, fallback: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Math.floor(Number(v)) : fallback);
  return {
    /** Largest file accepted; a bank's 500,000-account placement is about 150 MB of CSV. */
    maxBytes: n(env.IMPORT_MAX_BYTES, 256 * 1024 * 1024),
    /** Where uploaded files wait for (and survive a restart during) their job. */
    dir: env.IMPORT_DIR || path.resolve(process.cwd(), '.tmp', 'imports'),
    /** Rows written per transaction: each commits with its audit entries and the cursor. */
    batchRows: n(env.IMPORT_BATCH_ROWS, 1000),
    /** How long a job's claim lasts without renewal: a process that died frees its jobs after this. */
    lockMs: n(env.IMPORT_LOCK_MS, 30_000),
    queuePrefix: env.QUEUE_PREFIX || 'collections',
  };
}

export const formatBytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`);

/** What a reader sees of an import: its progress and counts, never where its file lies. */
export function importView(row: any) {
  const total = Number(row.totalRows ?? 0);
  const processed = Number(row.processedRows ?? 0);
  return {
    documentId: row.documentId,
    status: row.status,
    kind: row.kind,
    mode: row.mode,
    onDuplicate: row.onDuplicate,
    client: row.client ? { documentId: row.client.documentId, name: row.client.name } : null,
    startedBy: row.startedBy ? { username: row.startedBy.username } : null,
    retryOf: row.retryOf ?? null,
    fileName: row.fileName,
    fileSize: Number(row.fileSize ?? 0),
    fileSha256: row.fileSha256,
    sheet: row.sheet ?? null,
    mapping: row.mapping ?? null,
    columns: row.columns ?? null,
    totalRows: total,
    processedRows: processed,
    progress: total ? Math.round((processed / total) * 1000) / 1000 : 0,
    createdCount: row.createdCount ?? 0,
    updatedCount: row.updatedCount ?? 0,
    skippedCount: row.skippedCount ?? 0,
    errorCount: row.errorCount ?? 0,
    warningCount: row.warningCount ?? 0,
    cancelRequested: !!row.cancelRequested,
    failureCode: row.failureCode ?? null,
    failureMessage: row.failureMessage ?? null,
    createdAt: row.createdAt,
    startedAt: row.startedAt ?? null,
    finishedAt: row.finishedAt ?? null,
  };
}

/** A CSV cell: quoted when it must be, and a leading =, +, -, @ neutralised so a spreadsheet does not run it. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A signed number or a phone (+1 312…) is data; anything else led by a formula character is not run.
  if (/^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^[+-][\d\s().-]+$/.test(text))) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

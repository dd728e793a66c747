import fs from 'fs';
import path from 'path';
import zlib from 'zlib';

type ManifestChunk = { file: string; name?: string; src?: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; dynamicImports?: string[] };

export const WORKSPACE_PAGE = 'src/pages/workspace/agent-workspace-page.tsx';

/**
 * The JavaScript a route loads, from vite's build manifest: the entry and its static
 * imports, plus the route's lazy page and its static imports (what the browser fetches
 * before the page can paint), each file gzipped as a server would send it.
 */
export function routeWeight(distDir: string, pageSrc: string): { files: Array<{ file: string; bytes: number; gzip: number }>; gzip: number } {
  const manifest: Record<string, ManifestChunk> = JSON.parse(fs.readFileSync(path.join(distDir, '.vite', 'manifest.json'), 'utf8'));
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry);
  if (!entry) throw new Error('no entry in the build manifest');
  // A lazy page that shares modules with its own lazy parts is keyed by its chunk (`_<name>-<hash>.js`), not its source.
  const pageName = path.basename(pageSrc, path.extname(pageSrc));
  const pageKey = manifest[pageSrc] ? pageSrc : Object.keys(manifest).find((k) => manifest[k].isDynamicEntry && manifest[k].name === pageName);
  if (!pageKey) throw new Error(`${pageSrc} is not a chunk of the build: is it still loaded with React.lazy?`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  visit(entry[0]);
  visit(pageKey);
  const files = [...seen]
    .map((key) => manifest[key].file)
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const content = fs.readFileSync(path.join(distDir, file));
      return { file, bytes: content.length, gzip: zlib.gzipSync(content).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  return { files, gzip: files.reduce((sum, f) => sum + f.gzip, 0) };
}

import path from 'path';
import { defineConfig } from 'vite';

// No React plugin: esbuild compiles TSX with the automatic runtime, which is all a production build needs.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: {
      '@': path.resolve(__dirname, 'src'),
      '@worker': path.resolve(__dirname, '../dialer-worker/src'),
      // cms's own file readers and column matcher, pure, for the Imports page's preview.
      '@cms': path.resolve(__dirname, '../cms/src'),
      '@protocol': path.resolve(__dirname, '../protocol'),
      '@config': path.resolve(__dirname, '../config'),
      'react-markdown': path.resolve(__dirname, 'src/stubs/markdown-stub.ts'),
      'remark-gfm': path.resolve(__dirname, 'src/stubs/markdown-stub.ts'),
      '@refinedev/devtools-internal': path.resolve(__dirname, 'src/stubs/devtools-internal-stub.ts'),
      papaparse: path.resolve(__dirname, 'src/stubs/papaparse-stub.ts'),
      'object-inspect': path.resolve(__dirname, 'src/stubs/object-inspect-stub.cjs'),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // dist/.vite/manifest.json: which chunks each route loads (scripts/route-weight.ts weighs them).
    manifest: true,
    rollupOptions: {
      // antd marks its modules "use client" for React Server Components, which a SPA bundle has no use for.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});

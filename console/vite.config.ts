import path from 'path';
import { defineConfig } from 'vite';

// No React plugin: esbuild compiles TSX with the automatic runtime, which is all a production build needs.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: {
      '@': path.resolve(__dirname, 'src'),
      '@worker': path.resolve(__dirname, '../dialer-worker/src'),
      '@protocol': path.resolve(__dirname, '../protocol'),
      '@config': path.resolve(__dirname, '../config'),
      'react-markdown': path.resolve(__dirname, 'src/stubs/markdown-stub.ts'),
      'remark-gfm': path.resolve(__dirname, 'src/stubs/markdown-stub.ts'),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // antd marks its modules "use client" for React Server Components, which a SPA bundle has no use for.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The web app (src/web) is built into dist/web, which the Fastify server serves as static
 * files with an SPA fallback. In development `vite` proxies /api to the server on :3000.
 */
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});

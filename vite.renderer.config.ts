import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

/**
 * A plain Vite build of the renderer alone, into out/renderer. `swim-studio ui` (the browser
 * bridge) and the Chromium end-to-end tests serve this: electron-vite needs the Electron
 * binary for `dev`, and the renderer is the same bundle either way (electron.vite.config.ts
 * builds the identical root into the same folder).
 */
const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [vue()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    reportCompressedSize: false,
  },
});

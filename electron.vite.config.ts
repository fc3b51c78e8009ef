import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * The desktop build: main (src/main/app/index.ts, ESM, dependencies such as `usb` left
 * external so the native addon loads from node_modules — unpacked from the asar by
 * electron-builder.yml), preload (CommonJS: a sandboxed preload cannot be an ES module) and
 * the renderer (the same Vue root vite.renderer.config.ts builds for the browser bridge).
 * `npm start` = `electron-vite dev`. Output: out/main, out/preload, out/renderer (electron-vite's
 * defaults, so `--outDir` moves all three, as the packaging test does).
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: { index: here('./src/main/app/index.ts') },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: here('./src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: here('./src/renderer'),
    plugins: [vue()],
    build: {
      target: 'chrome120',
      rollupOptions: {
        input: { index: here('./src/renderer/index.html') },
      },
    },
  },
});

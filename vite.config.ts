/**
 * One Vite config, three targets, chosen by --mode:
 *   main      ESM bundle of the main process (main/index.ts) and the command line (main/cli)
 *   preload   the sandboxed preload as ONE CommonJS file (a sandboxed preload cannot require files)
 *   renderer  the React window
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { defineConfig, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const nodeExternals = [
  'electron',
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}),
];
const isExternal = (id: string) =>
  nodeExternals.some((name) => id === name || id.startsWith(`${name}/`));

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'main') {
    return {
      build: {
        outDir: 'dist/main',
        emptyOutDir: true,
        target: 'node20',
        ssr: true,
        // For the CLI tests' coverage (scripts/coverage.mjs maps dist/ back to main/**/*.ts);
        // electron-builder.yml keeps *.map out of the installers.
        sourcemap: true,
        minify: false,
        rollupOptions: {
          input: { index: 'main/index.ts', cli: 'main/cli/main.ts' },
          external: isExternal,
          output: {
            format: 'es',
            entryFileNames: '[name].js',
            chunkFileNames: 'chunks/[name]-[hash].js',
          },
        },
      },
    };
  }
  if (mode === 'preload') {
    return {
      build: {
        outDir: 'dist/preload',
        emptyOutDir: true,
        target: 'node20',
        ssr: true,
        sourcemap: false,
        minify: false,
        rollupOptions: {
          input: 'main/preload/index.ts',
          external: ['electron'],
          output: { format: 'cjs', entryFileNames: 'index.cjs', codeSplitting: false },
        },
      },
    };
  }
  return {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: {
      outDir: '../dist/renderer',
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: false,
      // The CSP forbids inline script: keep even tiny modules as files.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
  };
});

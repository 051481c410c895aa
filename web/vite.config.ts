import { defineConfig } from 'vite';

// Builds the single-page app into web/dist, which `medvault serve` serves at `/`.
// No inline scripts or styles anywhere in the output: the server's Content-Security-Policy
// for the app (`script-src 'self'; style-src 'self'`) would refuse them.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The preload polyfill is injected inline into index.html; every browser the practice
    // uses supports <link rel="modulepreload">.
    modulePreload: { polyfill: false },
    // Small assets become files, never data: URLs (the CSP's img-src is 'self').
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});

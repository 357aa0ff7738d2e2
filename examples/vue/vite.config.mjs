// Vite builds the Vue app into dist/. Menteo's widgets are native custom elements: Vue must not
// try to resolve `<menteo-…>` tags as Vue components.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('menteo-') } } })],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});

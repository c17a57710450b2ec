import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const page = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Two pages, one build: the review app at / and the candidate app at /c/.
export default defineConfig({
  plugins: [react()],
  base: '/',
  // amazon-cognito-identity-js still reads the Node-style `global`.
  define: { global: 'globalThis' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        review: page('./index.html'),
        candidate: page('./c/index.html'),
      },
    },
  },
  server: { host: '127.0.0.1' },
})

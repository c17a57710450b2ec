// ESLint for the review and candidate apps (make lint, at zero findings): JavaScript's and
// typescript-eslint's recommended rules, and React's rules of hooks.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Generated from openapi.json (npm run types); the build output.
  { ignores: ["dist/", "src/shared/api-schema.d.ts"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // An underscore marks a value left out on purpose (as in `const { _key, ...rest } = q`), as tsc's noUnusedLocals reads it.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    // The rules of hooks. Not the React Compiler's rules that the plugin's recommended set adds
    // (refs, set-state-in-effect, purity): the apps are not built with the compiler, and the
    // patterns those flag (a ref holding the latest callback, an effect resetting a countdown) are
    // sound without it.
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["scripts/**/*.mjs", "vite.config.ts", "eslint.config.js"],
    languageOptions: { globals: globals.node },
  },
);

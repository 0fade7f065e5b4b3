// ESLint (flat config): typescript-eslint's recommended rules and React's
// rules of hooks. `npm run lint`; `make test` runs it with the unit tests.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// tsc's noUnusedParameters convention: a leading underscore marks a
// parameter kept for its position.
const unusedVars = ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }];

export default defineConfig(
  { ignores: ["dist/", "node_modules/", "wailsjs/", "src/api/openapi.d.ts"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "@typescript-eslint/no-unused-vars": unusedVars,
    },
  },
  {
    // Pages and components reach the backend through the hooks of
    // src/api/hooks: query keys from opKey/opQuery, writes through
    // useOpMutation with the invalidations src/api/invalidation declares.
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/api/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/api", "**/api/index", "**/api/client"],
              importNames: ["call"],
              message: "Use useOp / opQuery / useOpMutation from src/api/hooks (one key per op, declared invalidations).",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "Property[key.name='queryKey'][value.type='ArrayExpression']",
          message: "Query keys come from src/api/hooks (opKey, opQuery or a named key), not an array built here.",
        },
      ],
    },
  },
  {
    files: ["**/*.{js,mjs}"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { "no-unused-vars": unusedVars },
  },
);

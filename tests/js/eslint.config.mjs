// ESLint for the site's JavaScript, run by `make lint` from the repository root:
//   tests/js/node_modules/.bin/eslint -c tests/js/eslint.config.mjs ...
// With -c, ESLint reads the patterns below from the working directory, so they name repository paths.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";

/** A few rules past `recommended`, for code with no build step to catch slips. */
const house = {
  eqeqeq: ["error", "always", { null: "ignore" }], // `x == null` is the one loose compare used
  "no-var": "error",
  "prefer-const": "error",
};

export default defineConfig([
  {
    ignores: ["**/node_modules/**", "site/**", ".site-tmp/**"],
  },
  {
    // Classic scripts that share each page's global scope: everything stays inside an IIFE.
    files: ["overrides/assets/javascripts/**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } },
    rules: { ...house, strict: ["error", "function"], "no-implicit-globals": "error" },
  },
  {
    // The engine and the plan review are also CommonJS modules in node (tests/planner/).
    files: ["overrides/assets/javascripts/taper-engine.js", "overrides/assets/javascripts/plan-review.js"],
    languageOptions: { globals: { module: "readonly" } },
  },
  {
    // The service worker has a global scope of its own.
    files: ["docs/sw.js"],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.serviceworker } },
    rules: { ...house, strict: ["error", "global"] },
  },
  {
    files: ["tests/**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: { ...globals.node } },
    rules: house,
  },
]);

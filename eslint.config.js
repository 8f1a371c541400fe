// Lint: typescript-eslint's recommended rules on the host code, tests, bench and page. The kernels in
// assembly/ are AssemblyScript (its own types, e.g. f32x4, and function decorators no JS parser reads),
// checked by asc and their own tsconfig instead; scripts/check-lines.mjs holds them to the line length.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "build/**",
      "node_modules/**",
      "assembly/**",
      "test-artifacts/**",
      "bench/roofline.as",
      "src/wasm/binary.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreStrings: false, ignoreTemplateLiterals: false }],
    },
  },
  {
    // Plain JavaScript that runs as a module worker in the browser.
    files: ["test/browser/*.js"],
    languageOptions: { globals: { onmessage: "writable", postMessage: "readonly" } },
  },
);

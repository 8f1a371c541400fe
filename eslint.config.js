// Lint: typescript-eslint's recommended rules on the host code, tests, bench and page. The kernels in
// assembly/ are AssemblyScript (its own types, e.g. f32x4), checked by asc and their own tsconfig instead.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "build/**", "node_modules/**", "assembly/**", "test-artifacts/**", "bench/roofline.as", "src/wasm/binary.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreStrings: false, ignoreTemplateLiterals: false }],
    },
  },
);

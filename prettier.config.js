// The codebase's own layout: single quotes, semicolons, trailing commas, two spaces, long lines.
/** @type {import('prettier').Config} */
export default {
  printWidth: 160,
  tabWidth: 2,
  semi: true,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
  // Code inside template literals (HTML, CSS, Markdown) is output: its bytes stay as written.
  embeddedLanguageFormatting: 'off',
};

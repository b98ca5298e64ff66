export const META_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** The options every schema checked through compile.ts is compiled with; the generated check was made with them. */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;

import { describe, expect, test } from 'vitest';
import { loadTree, printed } from './test-registry.ts';

const pipeline = (models: string) => `name: env
sessions:
  path: \${SESSIONS:-sessions}/*
models:
${models}
stages:
  load: {uses: load}
`;

describe('${ENV} interpolation', () => {
  test('variables, defaults, the $${ escape, and plain scalars re-typed', () => {
    const yaml = pipeline(`  remote:
    provider: openai
    baseURL: http://\${HOST}:\${PORT}/v1
    temperature: \${TEMP:-0.2}
    quotedTemp: "\${TEMP:-0.2}"
    template: "$\${literal}"
    emptyDefault: \${EMPTY:-fallback}`);
    const { dir, result } = loadTree({ 'pipeline.yaml': yaml }, { env: { HOST: 'localhost', PORT: '8080', EMPTY: '' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pipeline.models['remote']).toEqual({
      provider: 'openai',
      baseURL: 'http://localhost:8080/v1',
      temperature: 0.2,
      quotedTemp: '0.2',
      template: '${literal}',
      emptyDefault: 'fallback',
    });
    expect(result.pipeline.sessions.path).toBe(`${dir}/sessions/*`);
  });

  test('an unset variable without a default is reported at the ${...} inside the scalar', () => {
    const yaml = pipeline(`  remote:
    provider: openai
    baseURL: "http://\${HOST}:\${PORT}/v1"`);
    expect(printed({ 'pipeline.yaml': yaml }, { env: { HOST: 'h' } })).toMatchInlineSnapshot(`
      "pipeline.yaml:7:30 environment variable PORT is not set
        7 |     baseURL: "http://\${HOST}:\${PORT}/v1"
          |                              ^^^^^^^
        hint: Set PORT, or give a default: \${PORT:-value}."
    `);
  });

  test('malformed and unterminated expressions', () => {
    const yaml = pipeline(`  remote:
    provider: openai
    a: \${not valid}
    b: \${OPEN`);
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:7:8 invalid interpolation "\${not valid}"
        7 |     a: \${not valid}
          |        ^^^^^^^^^^^^
        hint: Write \${NAME} or \${NAME:-default}, or $\${ for a literal "\${".

      pipeline.yaml:8:8 unterminated "\${" (missing "}")
        8 |     b: \${OPEN
          |        ^^^^^^
        hint: Write $\${ for a literal "\${"."
    `);
  });

  test('an unquoted ${...} inside a flow mapping gets a hint', () => {
    expect(printed({ 'pipeline.yaml': pipeline('  m: {provider: openai, key: ${KEY}}') })).toMatchInlineSnapshot(`
      "pipeline.yaml:5:31 YAML syntax error: unexpected flow-map-start at node end
        5 |   m: {provider: openai, key: \${KEY}}
          |                               ^
        hint: Inside [ ] or { }, quote a value that uses \${...}: key: "\${NAME}"."
    `);
  });

  test('variants that are not applied are not interpolated', () => {
    const yaml = `${pipeline('  m: {provider: rules}')}variants:
  remote:
    models:
      m:
        provider: openai
        key: \${NEVER_SET}
`;
    expect(loadTree({ 'pipeline.yaml': yaml }).result.ok).toBe(true);
    expect(printed({ 'pipeline.yaml': yaml }, { variant: 'remote' })).toMatchInlineSnapshot(`
      "pipeline.yaml:13:14 environment variable NEVER_SET is not set
        13 |         key: \${NEVER_SET}
           |              ^^^^^^^^^^^^
        hint: Set NEVER_SET, or give a default: \${NEVER_SET:-value}."
    `);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyStage } from '../../stages/classify/index.ts';
import { buildResponseSchema, strictSchemaProblems } from '../../stages/classify/openai/response-schema.ts';
import { parseSuite } from '../../domain/suite/index.ts';
import { strictSchemaProblem } from '../fakes/openai-server.ts';
import { diskFiles } from '../helpers/stage-context.ts';
import { classifyContext, openaiModel, sendAndArchive } from './helpers.ts';

function suite(actions: string): { file: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tp-strict-'));
  const file = join(dir, 'suite.yaml');
  const text = `id: s\nactions:\n${actions}`;
  writeFileSync(file, text);
  return { file, text };
}

/** The parameters object strict mode receives for `action`. */
function sentParameters(schema: any, action: string) {
  return schema.properties.spans.items.anyOf.find((b: any) => b.properties.action.enum[0] === action).properties.parameters;
}

describe('strictify: what converts', () => {
  const s = suite(`  pick:
    description: Pick things.
    parameters:
      type: object
      $defs:
        label: {type: string, description: a label}
      properties:
        mode: {enum: [fast, slow]}
        kind: {const: exact}
        target: {oneOf: [{type: string}, {type: integer}]}
        label: {$ref: "#/$defs/label"}
        where:
          allOf:
            - {type: object, properties: {x: {type: number}}, required: [x]}
            - {type: object, properties: {y: {type: number}}}
        tags: {type: array, items: {type: string, minLength: 1}}
        extra: {type: object, properties: {note: {type: string}}, additionalProperties: true}
      required: [target]
  logout:
    description: No parameters at all.
    parameters: {type: object, properties: {}, additionalProperties: false}
`);
  const parsed = parseSuite(s.text, s.file);

  it('optional enums and consts gain null, oneOf becomes anyOf, $ref is inlined, allOf of objects is merged', () => {
    expect(strictSchemaProblems(parsed)).toEqual([]);
    const schema = buildResponseSchema(parsed);
    expect(sentParameters(schema, 'pick')).toEqual({
      type: 'object',
      properties: {
        mode: { enum: ['fast', 'slow', null] },
        kind: { enum: ['exact', null] },
        target: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        label: { type: ['string', 'null'], description: 'a label' },
        where: {
          type: ['object', 'null'],
          properties: { x: { type: 'number' }, y: { type: ['number', 'null'] } },
          required: ['x', 'y'],
          additionalProperties: false,
        },
        tags: { type: ['array', 'null'], items: { type: 'string' } },
        extra: { type: ['object', 'null'], properties: { note: { type: ['string', 'null'] } }, required: ['note'], additionalProperties: false },
      },
      required: ['mode', 'kind', 'target', 'label', 'where', 'tags', 'extra'],
      additionalProperties: false,
    });
  });

  it('an action without parameters gets an empty strict object', () => {
    expect(sentParameters(buildResponseSchema(parsed), 'logout')).toEqual({ type: 'object', properties: {}, required: [], additionalProperties: false });
  });

  it('the converted schema passes the scripted server’s strict-mode rules', () => {
    expect(strictSchemaProblem(buildResponseSchema(parsed), [])).toBeUndefined();
  });

  it('replies are still checked against the original schema (oneOf, minLength)', () => {
    expect(parsed.validateParameters('pick', { target: 'a', tags: [''] })).toEqual(['parameters.tags.0 must NOT have fewer than 1 characters']);
  });
});

describe('strictify: what is refused, at validate time, with the place and the reason', () => {
  const s = suite(`  bad:
    description: Bad shapes.
    parameters:
      type: object
      properties:
        anything: {type: object}
        headers: {type: object, additionalProperties: {type: string}}
        point: {type: array, prefixItems: [{type: number}, {type: number}]}
        tree: {$ref: "#"}
        loose: {description: no type at all}
      required: [anything]
`);
  const parsed = parseSuite(s.text, s.file);

  it('lists every spot strict mode cannot express', () => {
    expect(strictSchemaProblems(parsed).map((p) => [p.path.join('.'), p.message])).toEqual([
      ['properties.anything', 'is an object without properties; strict structured output can only fill in named properties'],
      ['properties.headers', 'is a map (additionalProperties with no properties), which strict structured output cannot express; list its properties'],
      ['properties.point', 'is a tuple (prefixItems), which strict structured output cannot express; use an object with named properties'],
      ['properties.tree', '$ref "#" is recursive; tracepipe inlines references and cannot inline a recursive one'],
      ['properties.loose', 'has no type; strict structured output needs one'],
    ]);
  });

  it('classify check() refuses the suite naming file, line and field; running it fails the same way', () => {
    const ctx = classifyContext({ model: openaiModel('http://127.0.0.1:9/v1'), timeline: sendAndArchive() });
    const issues = classifyStage.check!(ctx.node, { ...ctx.pipeline, suite: s.file }, diskFiles([...ctx.files.paths(), s.file]), {
      TP_FAKE_OPENAI_KEY: 'sk-x',
    });
    expect(issues.map((i) => i.message)).toEqual([
      `${s.file}:8:19 action bad, parameters.properties.anything: is an object without properties; strict structured output can only fill in named properties`,
      `${s.file}:9:18 action bad, parameters.properties.headers: is a map (additionalProperties with no properties), which strict structured output cannot express; list its properties`,
      `${s.file}:10:16 action bad, parameters.properties.point: is a tuple (prefixItems), which strict structured output cannot express; use an object with named properties`,
      `${s.file}:11:15 action bad, parameters.properties.tree: $ref "#" is recursive; tracepipe inlines references and cannot inline a recursive one`,
      `${s.file}:12:16 action bad, parameters.properties.loose: has no type; strict structured output needs one`,
    ]);
    expect(issues[0]!.hint).toContain('rules provider');
    expect(() => buildResponseSchema(parsed)).toThrow(
      /^suite .*suite\.yaml: 5 parameter schemas cannot be sent as a strict structured-output schema:\n {2}action bad, parameters\.properties\.anything: is an object without properties/,
    );
  });

  it('the rules provider does not need a strict schema: no issue', () => {
    const ctx = classifyContext({ model: { provider: 'rules' }, timeline: sendAndArchive() });
    expect(classifyStage.check!(ctx.node, { ...ctx.pipeline, suite: s.file }, diskFiles([s.file]), {})).toEqual([]);
  });
});

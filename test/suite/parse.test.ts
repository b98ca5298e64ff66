import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSuite, parseSuiteCached } from '../../domain/suite/index.ts';
import { SUITE } from '../classify/helpers.ts';

const text = readFileSync(SUITE, 'utf8');

function errorOf(source: string) {
  try {
    parseSuite(source, 'suites/x.yaml');
  } catch (err) {
    return err as { code: string; message: string; location: unknown };
  }
  throw new Error('expected the suite to be rejected');
}

describe('parseSuite', () => {
  it('reads the gmail suite: the eight actions with compiled parameter schemas', () => {
    const suite = parseSuite(text, SUITE);
    expect(suite.id).toBe('gmail');
    expect(suite.actionNames).toEqual([
      'send_email',
      'create_draft',
      'reply_email',
      'forward_email',
      'search_emails',
      'read_email',
      'modify_labels',
      'delete_email',
    ]);
    expect(suite.validateParameters('send_email', { to: ['a@b.c'], subject: 's', body: 'b' })).toEqual([]);
    expect(suite.validateParameters('send_email', { to: 'a@b.c', subject: 's', body: 'b', bcc: [] })).toEqual([
      'parameters has unexpected property "bcc"',
      'parameters.to must be array',
    ]);
    expect(suite.validateParameters('modify_labels', { message_id: 'm-1' })).toEqual([
      'parameters is missing required property "add_labels"',
      'parameters is missing required property "remove_labels"',
    ]);
    expect(suite.validateParameters('archive', {})).toEqual(['unknown action "archive"']);
    expect(suite.actions.read_email!.evidence[0]).toMatchObject({ unlessFollowedBy: [{ sameParam: 'id' }, { sameParam: 'id' }] });
  });

  it('names file, line, column and field of a shape error', () => {
    const err = errorOf(text.replace('confidence: 0.9\n', 'confidence: 9\n'));
    const line = text.slice(0, text.indexOf('confidence: 0.9\n')).split('\n').length;
    expect(err.code).toBe('TP_CONFIG');
    expect(err.message).toBe(`invalid suite suites/x.yaml:${line}:21 (field actions.search_emails.evidence.0.confidence): must be at most 1, got 9`);
    expect(err.location).toEqual({ file: 'suites/x.yaml', line, column: 21, field: 'actions.search_emails.evidence.0.confidence' });
  });

  it('collects every problem, including rules that extract unknown parameters and bad schemas', () => {
    const source = [
      'id: s',
      'actions:',
      '  archive:',
      '    description: Archive it',
      '    parameters: {type: object, properties: {message_id: {type: strin}}}',
      '    evidence:',
      '      - request: {method: POST, url: "**/archive/:id"}',
      '        parameters: {id: request.params.id}',
      '  Bad-Name:',
      '    description: x',
      '    parameters: {type: object, properties: {}}',
    ].join('\n');
    const err = errorOf(source);
    expect(err.message).toContain('suites/x.yaml:9:3 (field actions.Bad-Name): is not a valid name: action names are snake_case');
    const fixed = errorOf(source.replace('Bad-Name', 'ok_name'));
    expect(fixed.message).toContain('invalid suite suites/x.yaml (2 problems)');
    expect(fixed.message).toContain('suites/x.yaml:5:17 (field actions.archive.parameters): invalid JSON Schema');
    expect(fixed.message).toContain(
      'suites/x.yaml:8:22 (field actions.archive.evidence.0.parameters.id): rule extracts "id", which is not a parameter of archive (parameters: message_id)',
    );
  });

  it('reports YAML syntax errors with their position', () => {
    const err = errorOf('id: s\nactions: {a: [}\n');
    expect(err.message).toMatch(/^invalid suite suites\/x\.yaml \(2 problems\):\n  suites\/x\.yaml:2:15: Flow sequence/);
  });

  it('rejects an evidence rule with two triggers or an unknown key', () => {
    const err = errorOf(
      text.replace(
        '      - request: {method: DELETE, url: "**/api/messages/:id"}\n        parameters: {message_id: request.params.id}\n        confidence: 0.95',
        '      - request: {method: DELETE, url: "**/api/messages/:id"}\n        click: {name: Delete}\n        parameters: {message_id: request.params.id}',
      ),
    );
    expect(err.message).toContain('actions.delete_email.evidence.0');
  });

  it('parseSuiteCached parses a text once per file, and again when the text changes', () => {
    const first = parseSuiteCached(text, SUITE);
    expect(parseSuiteCached(text, SUITE)).toBe(first);
    expect(parseSuiteCached(text, 'suites/other.yaml')).not.toBe(first);
    const edited = parseSuiteCached(text.replace(/^id: gmail$/m, 'id: gmail2'), SUITE);
    expect(edited.id).toBe('gmail2');
    expect(() => parseSuiteCached('id: s\nactions: {a: [}\n', 'suites/x.yaml')).toThrow('invalid suite suites/x.yaml');
  });
});

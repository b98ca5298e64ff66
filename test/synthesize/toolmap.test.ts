import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { applyToolMap, checkToolMap, parseActionToolMap, templateParameters, toolsFor } from '../../domain/toolmap/index.ts';
import { parseSuite } from '../../domain/suite/index.ts';
import { gmailMapValue, MAP_FILE, SUITE_FILE } from './fixtures.ts';

const suite = () => parseSuite(readFileSync(SUITE_FILE, 'utf8'), SUITE_FILE);

describe('action-tool map', () => {
  it('the committed gmail map parses and covers the suite with no issues', () => {
    const map = parseActionToolMap(gmailMapValue(), MAP_FILE);
    expect(map.id).toBe('gmail-tools-v1');
    expect(checkToolMap(map, suite())).toEqual([]);
    expect(toolsFor(map, suite())).toHaveLength(8);
  });

  it('names the file and the field of every shape error', () => {
    const bad = {
      id: 'm',
      server: 's',
      tools: { send_email: { tool: 'send', arguments: { to: { from: 'to', const: 1 } } }, delete_email: { tool: 'has space' } },
    };
    let msg = '';
    try {
      parseActionToolMap(bad, 'maps/bad.yaml');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('maps/bad.yaml (field tools.send_email.arguments.to)');
    expect(msg).toContain('maps/bad.yaml (field tools.delete_email.tool): a tool name is 1-64 letters, digits, _ or -');
  });

  it('rejects two actions mapped to one tool', () => {
    const dup = { id: 'm', server: 's', tools: { read_email: { tool: 'get' }, delete_email: { tool: 'get' } } };
    expect(() => parseActionToolMap(dup, 'maps/dup.yaml')).toThrow(
      'maps/dup.yaml (field tools.delete_email.tool): tool "get" is already used by action "read_email"',
    );
  });

  it('checks parameters and templates against the suite', () => {
    const map = parseActionToolMap(
      {
        id: 'm',
        server: 's',
        tools: {
          send_email: { tool: 'send', arguments: { recipients: { from: 'recipients' }, title: { template: 'Re: {{subjekt}}' } } },
          print_email: { tool: 'print' },
        },
      },
      'm.yaml',
    );
    const issues = checkToolMap(map, suite());
    expect(issues).toContainEqual({
      field: 'tools.send_email.arguments.recipients.from',
      message: '"recipients" is not a parameter of send_email (to, cc, subject, body)',
    });
    expect(issues).toContainEqual({ field: 'tools.send_email.arguments.title.template', message: 'template uses "subjekt", not a parameter of send_email' });
    expect(issues).toContainEqual({ field: 'tools.print_email', message: 'action "print_email" is not in suite gmail' });
    expect(issues).toContainEqual({ field: 'tools', message: 'suite action "delete_email" has no tool' });
  });

  it('applies renames, constants and templates (arrays join), and leaves absent optional parameters out', () => {
    const map = parseActionToolMap(
      {
        id: 'm',
        server: 's',
        tools: {
          send_email: {
            tool: 'send',
            arguments: { rcpt: { from: 'to' }, cc: { from: 'cc' }, kind: { const: { html: false } }, line: { template: 'To {{join to "; "}}: {{subject}}' } },
          },
        },
      },
      'm.yaml',
    );
    const call = applyToolMap(map, 'send_email', { to: ['a@x.org', 'b@x.org'], subject: 'Hi & <bye>' });
    expect(call).toEqual({ name: 'send', arguments: { rcpt: ['a@x.org', 'b@x.org'], kind: { html: false }, line: 'To a@x.org; b@x.org: Hi & <bye>' } });
    expect(templateParameters('{{#if cc}}{{join cc ", "}}{{/if}} {{subject}}')).toEqual(['cc', 'subject']);
  });
});

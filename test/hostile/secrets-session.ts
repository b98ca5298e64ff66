import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harEntry, MAIL_STARTED, mailButton, writeHar, writeMailScreens } from '../helpers/mail-session.ts';
import { PEM_PRIVATE_KEY, SHAPES } from './secret-shapes.ts';

const field = (name: string, label: string) => ({ tag: 'input', role: 'textbox', name: label, field: name, selector: `#${name}` });

/**
 * A native session in which a person signs in with a passcode and sends a message, whose
 * recording carries every shape in SHAPES: typed, in request headers, JSON, form and text
 * bodies, and in responses.
 */
export async function writeSecretsSession(root: string, id = 'hostile-secrets'): Promise<string> {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  const url = 'http://127.0.0.1:4000/#/compose';
  const events = [
    { t: 100, type: 'navigate', url: 'http://127.0.0.1:4000/#/login' },
    { t: 300, type: 'click', x: 300, y: 200, target: field('passcode', 'Passcode'), url: 'http://127.0.0.1:4000/#/login' },
    { t: 400, type: 'input', value: SHAPES.typedPasscode, target: field('passcode', 'Passcode'), url: 'http://127.0.0.1:4000/#/login' },
    { t: 600, type: 'navigate', url },
    { t: 1000, type: 'click', x: 600, y: 150, target: field('to', 'To'), url },
    { t: 1200, type: 'input', value: 'sam@example.com', target: field('to', 'To'), url },
    { t: 2000, type: 'click', x: 600, y: 240, target: field('subject', 'Subject'), url },
    { t: 2200, type: 'input', value: 'Lunch', target: field('subject', 'Subject'), url },
    { t: 5000, type: 'click', x: 250, y: 430, target: mailButton('Send'), url },
  ];
  writeFileSync(join(dir, 'input_events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(
    join(dir, 'session.json'),
    JSON.stringify({
      id,
      suite: 'gmail',
      app: 'mailapp',
      // A key pasted into the task text: the description becomes the user turn and part of the model's prompt.
      description: `Email sam@example.com about Lunch. The API key is ${SHAPES.skKeyInJson}`,
      startedAt: new Date(MAIL_STARTED).toISOString(),
      viewport: { width: 1000, height: 700 },
      labels: [{ action: 'send_email', parameters: { to: ['sam@example.com'], subject: 'Lunch', body: '' } }],
    }),
  );
  await writeMailScreens(dir);
  const api = 'http://127.0.0.1:4000/api';
  const entries = [
    harEntry(
      450,
      {
        method: 'POST',
        url: `${api}/session`,
        postData: { mimeType: 'application/x-www-form-urlencoded', text: `user=alice&pass=${SHAPES.passFormField}&pin=${SHAPES.pinFormField}` },
      },
      { content: { size: 10, mimeType: 'text/plain', text: `welcome; your deploy token is ${SHAPES.ghpToken} (keep it safe)` } },
    ),
    harEntry(
      700,
      {
        method: 'POST',
        url: `${api}/assistant`,
        headers: [
          { name: 'X-OpenAI-Key', value: SHAPES.openaiKeyHeader },
          { name: 'Content-Type', value: 'application/json' },
        ],
        postData: {
          mimeType: 'application/json',
          text: JSON.stringify({ prompt: 'summarize my inbox', note: `use ${SHAPES.skKeyInJson} for this`, config: { provider: SHAPES.skProjKeyInJson } }),
        },
      },
      {
        content: {
          size: 10,
          mimeType: 'application/json',
          text: JSON.stringify({ ok: true, uploader: { id: SHAPES.akiaInJson, region: 'eu-west-1' }, signingKey: PEM_PRIVATE_KEY }),
        },
      },
    ),
    harEntry(1500, {
      method: 'POST',
      url: `${api}/log`,
      postData: { mimeType: 'text/plain', text: `GET /api/messages HTTP/1.1\nhost: 127.0.0.1\nauthorization: bearer ${SHAPES.lowercaseBearerInText}\n` },
    }),
    harEntry(5010, {
      method: 'POST',
      url: `${api}/messages/send`,
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      postData: { mimeType: 'application/json', text: JSON.stringify({ to: ['sam@example.com'], cc: [], subject: 'Lunch', body: '' }) },
    }),
  ];
  writeHar(dir, entries);
  return dir;
}

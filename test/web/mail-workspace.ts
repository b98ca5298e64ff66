import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/cli.ts';
import { harEntry, MAIL_STARTED, mailButton, writeHar, writeMailScreens } from '../helpers/mail-session.ts';
import { rulesPipelineYaml } from '../helpers/rules-pipeline.ts';

const field = (name: string, label: string) => ({
  tag: name === 'body' ? 'textarea' : 'input',
  role: 'textbox',
  name: label,
  field: name,
  selector: `#compose-${name}`,
});

/** A person composing and sending a message; with `request`, the app's POST /api/messages/send is in the HAR. */
async function composeSession(root: string, id: string, msg: { to: string; subject: string; body: string }, opts: { request: boolean; folder?: string }) {
  const dir = join(root, opts.folder ?? id);
  mkdirSync(dir, { recursive: true });
  const url = 'http://127.0.0.1:4000/#/compose';
  const events = [
    { t: 100, type: 'navigate', url: 'http://127.0.0.1:4000/#/inbox' },
    { t: 500, type: 'click', x: 40, y: 80, target: mailButton('Compose'), url: 'http://127.0.0.1:4000/#/inbox' },
    { t: 600, type: 'navigate', url },
    { t: 1000, type: 'click', x: 600, y: 150, target: field('to', 'To'), url },
    { t: 1200, type: 'input', value: msg.to, target: field('to', 'To'), url },
    { t: 2000, type: 'click', x: 600, y: 240, target: field('subject', 'Subject'), url },
    { t: 2200, type: 'input', value: msg.subject, target: field('subject', 'Subject'), url },
    { t: 3000, type: 'click', x: 600, y: 300, target: field('body', 'Message'), url },
    { t: 3200, type: 'input', value: msg.body, target: field('body', 'Message'), url },
    { t: 5000, type: 'click', x: 250, y: 430, target: mailButton('Send'), url },
  ];
  writeFileSync(join(dir, 'input_events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(
    join(dir, 'session.json'),
    JSON.stringify({
      id,
      suite: 'gmail',
      app: 'mailapp',
      description: `Email ${msg.to} about ${msg.subject}.`,
      startedAt: new Date(MAIL_STARTED).toISOString(),
      viewport: { width: 1000, height: 700 },
      labels: [{ action: 'send_email', parameters: { to: [msg.to], subject: msg.subject, body: msg.body } }],
    }),
  );
  await writeMailScreens(dir);
  if (opts.request) {
    const body = JSON.stringify({ to: [msg.to], cc: [], subject: msg.subject, body: msg.body });
    const send = harEntry(5010, {
      method: 'POST',
      url: 'http://127.0.0.1:4000/api/messages/send',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      postData: { mimeType: 'application/json', text: body },
    });
    writeHar(dir, [{ ...send, time: 12, timings: { send: 0, wait: 12, receive: 0 } }]);
  }
}

/**
 * A temp workspace for the real mail pipeline (load, normalize, classify with rules,
 * synthesize): one session the rules classify surely (the send request is recorded),
 * one they only guess from the clicks (flagged for review), one whose id is not a
 * safe folder name (so its example id differs from its item), one that fails to load.
 */
export async function mailWorkspace(): Promise<{ dir: string; pipeline: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-web-mail-'));
  cpSync(join(repoRoot, 'pipelines/suites'), join(dir, 'pipelines/suites'), { recursive: true });
  cpSync(join(repoRoot, 'pipelines/maps'), join(dir, 'pipelines/maps'), { recursive: true });
  cpSync(join(repoRoot, 'prompts'), join(dir, 'prompts'), { recursive: true });
  const sessions = join(dir, 'sessions');
  await composeSession(sessions, 'send-sure', { to: 'sam@example.com', subject: 'Lunch', body: 'Thursday at 12:30?' }, { request: true });
  await composeSession(sessions, 'send-guess', { to: 'ana@example.com', subject: 'Report', body: 'Attached is the report.' }, { request: false });
  await composeSession(sessions, 'Send again (2)', { to: 'lee@example.com', subject: 'Again', body: 'One more time.' }, { request: true, folder: 'again' });
  mkdirSync(join(sessions, 'broken'), { recursive: true });
  writeFileSync(join(sessions, 'broken', 'session.json'), JSON.stringify({ id: 'broken', suite: 'gmail' }));
  writeFileSync(join(sessions, 'broken', 'input_events.jsonl'), '');
  const pipeline = join(dir, 'pipelines/mail.yaml');
  writeFileSync(pipeline, rulesPipelineYaml('mail', { variants: '  strict:\n    stages:\n      synthesize: {thresholds: {review: 0.99}}\n' }));
  return { dir, pipeline };
}

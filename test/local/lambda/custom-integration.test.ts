import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { customIntegrationOutcome, eventFromTemplateOutput, LocalFunction } from '../../../lib/local/lambda';

let dir: string;
let f: LocalFunction;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-int-'));
  fs.writeFileSync(path.join(dir, 'index.js'), `exports.handler = async (event) => {
    if (event.missing) throw new Error('[NotFound] customer ' + event.missing);
    if (event.structured) throw new Error(JSON.stringify({ code: 'E42', retry: false }));
    return { got: event };
  };`);
  f = new LocalFunction({
    logicalId: 'Fn', functionName: 'custom', runtime: 'nodejs22.x', handler: 'index.handler', codeDir: dir,
    environment: {}, timeoutMs: 2000, memorySizeMb: 128, region: 'us-east-1', accountId: '123456789012', warnings: [],
  }, { onLog: () => undefined });
});
afterAll(async () => {
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('success: the result is the body and nothing is matched', async () => {
  const parsed = eventFromTemplateOutput('{"id": "7"}');
  expect(parsed).toEqual({ ok: true, event: { id: '7' } });
  const outcome = customIntegrationOutcome(await f.invoke(parsed.ok ? parsed.event : undefined));
  expect(outcome).toEqual({ body: '{"got":{"id":"7"}}' });
});

test('a thrown error: errorMessage for the selection patterns, the error document as the body', async () => {
  const outcome = customIntegrationOutcome(await f.invoke({ missing: 'C0' }));
  expect(outcome.errorMessage).toBe('[NotFound] customer C0');
  expect(/^\[NotFound\].*/.test(outcome.errorMessage!)).toBe(true);
  expect(JSON.parse(outcome.body)).toMatchObject({ errorType: 'Error', errorMessage: '[NotFound] customer C0' });
  // A JSON string as the message, for templates that $util.parseJson it (AWS's "custom errors").
  const structured = customIntegrationOutcome(await f.invoke({ structured: true }));
  expect(JSON.parse(structured.errorMessage!)).toEqual({ code: 'E42', retry: false });
});

test('template output that is not JSON is refused; an empty one is {}', () => {
  expect(eventFromTemplateOutput('{"a": }')).toMatchObject({ ok: false, reason: expect.stringMatching(/^Could not parse request body into json/) });
  expect(eventFromTemplateOutput('  ')).toEqual({ ok: true, event: {} });
});

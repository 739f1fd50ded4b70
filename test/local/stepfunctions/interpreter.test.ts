import { StatesError } from '../../../lib/local/stepfunctions/errors';
import { runDefinition, StatesDefinition, TaskInvoker } from '../../../lib/local/stepfunctions/interpreter';

/**
 * The state machine interpreter on definitions written here. Task resources are answered by the test
 * (`tasks`), so each case shows what the interpreter itself does with inputs, results and errors.
 */
type TaskFn = (args: unknown) => unknown;

function run(definition: StatesDefinition, input: unknown, tasks: Record<string, TaskFn> = {}, signal = new AbortController().signal, log?: (l: string) => void): Promise<unknown> {
  const invoker: TaskInvoker = {
    invoke: async (resource, args) => {
      const fn = tasks[resource];
      if (!fn) throw new StatesError('Emulator.Unsupported', `no task ${resource}`);
      return fn(args);
    },
  };
  return runDefinition(definition, input, {
    tasks: invoker, signal, log,
    context: { Execution: { Id: 'arn:exec:1', Name: 'e1', Input: input, StartTime: '2026-01-01T00:00:00.000Z' }, StateMachine: { Id: 'arn:sm', Name: 'sm' } },
  });
}

async function failure(p: Promise<unknown>): Promise<{ error: string; cause: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatesError) return { error: e.error, cause: e.cause };
    throw e;
  }
  throw new Error('expected the execution to fail');
}

describe('JSONPath', () => {
  test('a Task: InputPath, Parameters (paths, context, intrinsic functions), ResultSelector, ResultPath, OutputPath in that order', async () => {
    const seen: unknown[] = [];
    const out = await run({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task', Resource: 'r:echo', End: true,
          InputPath: '$.order',
          Parameters: {
            'id.$': '$.id', 'static': 'x', 'exec.$': '$$.Execution.Id', 'state.$': '$$.State.Name',
            'greeting.$': "States.Format('Hello {}, you owe {}', $.name, $.total)",
            'parsed.$': 'States.StringToJson($.json)', 'both.$': 'States.Array($.id, 2)', 'sum.$': 'States.MathAdd($.total, 1)',
            'nested': { 'first.$': '$.items[0].sku', 'all.$': '$.items[*].sku' },
          },
          ResultSelector: { 'answer.$': '$.Payload' },
          ResultPath: '$.result.of.t',
          OutputPath: '$.result',
        },
      },
    }, { order: { id: 'o1', name: "O'Neil \"q\"", total: 41, json: '{"a":[1,2]}', items: [{ sku: 's1' }, { sku: 's2' }] }, other: 1 }, {
      'r:echo': (args) => { seen.push(args); return { Payload: 'done', Extra: 1 }; },
    });
    expect(seen[0]).toEqual({
      id: 'o1', static: 'x', exec: 'arn:exec:1', state: 'T', greeting: 'Hello O\'Neil "q", you owe 41', parsed: { a: [1, 2] }, both: ['o1', 2], sum: 42,
      nested: { first: 's1', all: ['s1', 's2'] },
    });
    expect(out).toEqual({ of: { t: { answer: 'done' } } });
  });

  test('ResultPath null keeps the input; Pass with Result; OutputPath null gives {}', async () => {
    expect(await run({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { x: 1 }, ResultPath: null, End: true } } }, { a: 1 })).toEqual({ a: 1 });
    expect(await run({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r', End: true } } }, { a: 1 })).toEqual({ a: 1, r: { x: 1 } });
    expect(await run({ StartAt: 'P', States: { P: { Type: 'Pass', OutputPath: null, End: true } } }, { a: 1 })).toEqual({});
  });

  test('a path that names nothing is States.Runtime, which no Catch handles', async () => {
    const f = await failure(run({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'r:x', Parameters: { 'v.$': '$.missing' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Succeed' },
      },
    }, { present: 1 }, { 'r:x': () => 1 }));
    expect(f).toEqual({ error: 'States.Runtime', cause: expect.stringContaining("The JSONPath '$.missing' specified for the field 'Parameters.v.$' could not be found in the input") });
  });

  test('Choice rules: string, numeric with a path, And/Not, IsPresent, StringMatches, Default, and no match at all', async () => {
    const machine: StatesDefinition = {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.kind', StringEquals: 'a', Next: 'A' },
            { And: [{ Variable: '$.n', NumericGreaterThanPath: '$.limit' }, { Not: { Variable: '$.n', NumericEquals: 100 } }], Next: 'Big' },
            { Variable: '$.optional', IsPresent: true, Next: 'Has' },
            { Variable: '$.file', StringMatches: 'log-*.txt', Next: 'Log' },
          ],
          Default: 'Other',
        },
        A: { Type: 'Pass', Result: 'a', End: true },
        Big: { Type: 'Pass', Result: 'big', End: true },
        Has: { Type: 'Pass', Result: 'has', End: true },
        Log: { Type: 'Pass', Result: 'log', End: true },
        Other: { Type: 'Pass', Result: 'other', End: true },
      },
    };
    expect(await run(machine, { kind: 'a' })).toBe('a');
    expect(await run(machine, { kind: 'b', n: 5, limit: 3 })).toBe('big');
    expect(await run(machine, { kind: 'b', n: 100, limit: 3, optional: null })).toBe('has');
    expect(await run(machine, { kind: 'b', n: '5', limit: 3, file: 'log-1.txt' })).toBe('log');
    expect(await run(machine, { kind: 'b', n: 1, limit: 3, file: 'log-1.csv' })).toBe('other');
    const noDefault = { ...machine, States: { ...machine.States, C: { ...machine.States.C, Default: undefined } } };
    expect((await failure(run(noDefault, { kind: 'b', n: 1, limit: 3, file: 'x' }))).error).toBe('States.NoChoiceMatched');
    // A rule on a field the input lacks is a runtime error (only IsPresent may ask), as on AWS.
    expect(await failure(run(machine, { kind: 'b', n: 1, limit: 3 }))).toEqual({ error: 'States.Runtime', cause: expect.stringContaining("'$.file'") });
  });

  test('Catch: the error output at ResultPath, and the catcher\'s Next', async () => {
    const out = await run({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'r:fail', Catch: [{ ErrorEquals: ['Other'], Next: 'No' }, { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Yes' }], End: true },
        No: { Type: 'Fail', Error: 'Wrong' },
        Yes: { Type: 'Pass', End: true },
      },
    }, { keep: true }, { 'r:fail': () => { throw new StatesError('DynamoDB.ConditionalCheckFailedException', 'exists'); } });
    expect(out).toEqual({ keep: true, error: { Error: 'DynamoDB.ConditionalCheckFailedException', Cause: 'exists' } });
  });

  test('Fail: Error and Cause, from paths too', async () => {
    expect(await failure(run({ StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('because {}', $.why)" } } }, { e: 'Bad', why: 'x' })))
      .toEqual({ error: 'Bad', cause: 'because x' });
  });

  test('variables: Assign in one state, read as $name in a later one', async () => {
    const out = await run({
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { 'who.$': '$.user', 'fixed': 3 }, Next: 'Use' },
        Use: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hi {}', $who)", 'n.$': '$fixed' }, End: true },
      },
    }, { user: 'ann' });
    expect(out).toEqual({ greeting: 'hi ann', n: 3 });
  });
});

describe('JSONata', () => {
  test('Arguments, Output and Assign with $states and variables; Assign and Output see the variables as they were before the state', async () => {
    const seen: unknown[] = [];
    const out = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Assign: { count: '{% 1 %}' }, Next: 'Call' },
        Call: {
          Type: 'Task', Resource: 'r:call',
          Arguments: { id: '{% $states.input.id %}', exec: '{% $states.context.Execution.Name %}', list: ['{% $count %}', 'plain {% not an expression'] },
          Assign: { count: '{% $count + 1 %}' },
          Output: { result: '{% $states.result.value %}', countBefore: '{% $count %}' },
          Next: 'Last',
        },
        Last: { Type: 'Pass', Output: '{% $merge([$states.input, {"countAfter": $count, "parts": $partition([1,2,3], 2), "h": $hash("a", "SHA-256"), "p": $parse("{\\"x\\":1}")}]) %}', End: true },
      },
    }, { id: 'i-1' }, { 'r:call': (args) => { seen.push(args); return { value: 'v' }; } });
    expect(seen[0]).toEqual({ id: 'i-1', exec: 'e1', list: [1, 'plain {% not an expression'] });
    expect(out).toEqual({
      result: 'v', countBefore: 1, countAfter: 2, parts: [[1, 2], [3]],
      h: 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb', p: { x: 1 },
    });
  });

  test('Choice by Condition, with Output on the rule', async () => {
    const machine: StatesDefinition = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 10 %}', Output: { big: '{% $states.input.n %}' }, Next: 'Done' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    expect(await run(machine, { n: 11 })).toEqual({ big: 11 });
    expect(await run(machine, { n: 1 })).toEqual({ n: 1 });
  });

  test('an expression that gives nothing, or fails, is States.QueryEvaluationError naming the field', async () => {
    const missing = await failure(run({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: { v: '{% $states.input.nope %}' }, End: true } } }, {}));
    expect(missing).toEqual({ error: 'States.QueryEvaluationError', cause: expect.stringContaining('P.Output.v returned nothing') });
    const broken = await failure(run({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $number("x") %}', End: true } } }, {}));
    expect(broken.error).toBe('States.QueryEvaluationError');
  });

  test('a JSONPath state inside a JSONata machine uses JSONPath', async () => {
    const out = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Output: { v: '{% $states.input.x * 2 %}' }, Next: 'B' },
        B: { Type: 'Pass', QueryLanguage: 'JSONPath', Parameters: { 'w.$': '$.v' }, End: true },
      },
    }, { x: 21 });
    expect(out).toEqual({ w: 42 });
  });

  test('Catch in JSONata: $states.errorOutput, and Output on the catcher', async () => {
    const out = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'r:fail', Catch: [{ ErrorEquals: ['States.ALL'], Output: { failed: '{% $states.errorOutput.Error %}', was: '{% $states.input %}' }, Next: 'Done' }], End: true },
        Done: { Type: 'Succeed' },
      },
    }, { a: 1 }, { 'r:fail': () => { throw new StatesError('Lambda.Unknown', 'x'); } });
    expect(out).toEqual({ failed: 'Lambda.Unknown', was: { a: 1 } });
  });
});

describe('Retry, timeouts, Parallel, Map, Wait', () => {
  test('Retry: the matching retrier retries after its interval; past MaxAttempts the error goes on', async () => {
    let calls = 0;
    const logs: string[] = [];
    const started = Date.now();
    const out = await run({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'r:flaky', Retry: [{ ErrorEquals: ['Nope'] }, { ErrorEquals: ['Busy'], IntervalSeconds: 1, MaxAttempts: 1 }], End: true } },
    }, {}, { 'r:flaky': () => { calls++; if (calls === 1) throw new StatesError('Busy'); return 'ok'; } }, undefined, (l) => logs.push(l));
    expect([out, calls]).toEqual(['ok', 2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(logs).toEqual(['state T: Busy, retry 1 of 1 in 1.0 s']);
    calls = 0;
    const f = await failure(run({
      StartAt: 'T', States: { T: { Type: 'Task', Resource: 'r:always', Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 0 }], End: true } },
    }, {}, { 'r:always': () => { calls++; throw new StatesError('Busy', 'still'); } }));
    expect([f, calls]).toEqual([{ error: 'Busy', cause: 'still' }, 1]);
  });

  test('a task past its TimeoutSeconds fails with States.Timeout, which Catch can handle', async () => {
    const out = await run({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'r:slow', TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }], End: true },
        Late: { Type: 'Pass', End: true },
      },
    }, {}, { 'r:slow': () => new Promise((resolve) => setTimeout(() => resolve('too late'), 3000).unref()) });
    expect(out).toEqual({ Error: 'States.Timeout', Cause: expect.stringContaining('within 1 s') });
  });

  test('TimeoutSecondsPath reads the effective input; a JSONata TimeoutSeconds reads $states.input', async () => {
    const slow = { 'r:slow': () => new Promise((resolve) => setTimeout(() => resolve('late'), 3000).unref()) };
    const viaPath = await failure(run({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'r:slow', InputPath: '$.job', TimeoutSecondsPath: '$.limit', End: true } } }, { job: { limit: 1 } }, slow));
    expect(viaPath).toEqual({ error: 'States.Timeout', cause: expect.stringContaining('within 1 s') });
    const viaJsonata = await failure(run({ QueryLanguage: 'JSONata', StartAt: 'T', States: { T: { Type: 'Task', Resource: 'r:slow', TimeoutSeconds: '{% $states.input.limit %}', End: true } } }, { limit: 1 }, slow));
    expect(viaJsonata.error).toBe('States.Timeout');
  });

  test('the emulator\'s own "cannot do this" is not caught into a success', async () => {
    const f = await failure(run({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'r:unknown', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Ok' }], End: true }, Ok: { Type: 'Succeed' } },
    }, {}));
    expect(f.error).toBe('Emulator.Unsupported');
  });

  test('Parallel: branches get the same input, the output is their outputs in order; one failing branch fails the state', async () => {
    const branch = (n: number): StatesDefinition => ({ StartAt: 'B', States: { B: { Type: 'Pass', Parameters: { 'n': n, 'x.$': '$.x' }, End: true } } });
    expect(await run({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [branch(1), branch(2)], End: true } } }, { x: 'in' }))
      .toEqual([{ n: 1, x: 'in' }, { n: 2, x: 'in' }]);
    const failing: StatesDefinition = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'BranchFailed', Cause: 'b2' } } };
    const f = await failure(run({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [branch(1), failing], End: true } } }, { x: 1 }));
    expect(f).toEqual({ error: 'BranchFailed', cause: 'b2' });
  });

  test('Map: items from ItemsPath, ItemSelector with the context\'s Map.Item, MaxConcurrency respected, results in order', async () => {
    let running = 0;
    let most = 0;
    const out = await run({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2,
          ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value', 'tag.$': '$.tag' },
          ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'r:work', End: true } } },
          End: true,
        },
      },
    }, { items: ['a', 'b', 'c', 'd', 'e'], tag: 't' }, {
      'r:work': async (args) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return args;
      },
    });
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e'].map((value, index) => ({ index, value, tag: 't' })));
    expect(most).toBe(2);
  });

  test('Map: ToleratedFailureCount keeps the failures as error objects; past it, States.ExceedToleratedFailureThreshold', async () => {
    const machine = (tolerated: number): StatesDefinition => ({
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map', Items: '{% $states.input %}', ToleratedFailureCount: tolerated,
          ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input < 0 %}', Next: 'Bad' }], Default: 'Good' }, Bad: { Type: 'Fail', Error: 'Negative' }, Good: { Type: 'Succeed' } } },
          End: true,
        },
      },
    });
    expect(await run(machine(1), [1, -1, 2])).toEqual([1, { Error: 'Negative', Cause: '' }, 2]);
    expect((await failure(run(machine(0), [1, -1, 2]))).error).toBe('States.ExceedToleratedFailureThreshold');
  });

  test('a distributed Map (ItemReader) is refused, naming what the emulator does not run', async () => {
    const f = await failure(run({ StartAt: 'M', States: { M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject' }, ItemProcessor: { StartAt: 'S', States: { S: { Type: 'Succeed' } } }, End: true } } }, {}));
    expect(f).toEqual({ error: 'States.Runtime', cause: expect.stringContaining('does not run a distributed Map (ItemReader)') });
  });

  test('Wait: Seconds and a Timestamp in the past go on; the execution\'s signal stops a long wait', async () => {
    expect(await run({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 0, Next: 'X' }, X: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', End: true } } }, { a: 1 })).toEqual({ a: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new StatesError('States.Timeout', 'stopped')), 50);
    expect(await failure(run({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } }, {}, {}, controller.signal))).toEqual({ error: 'States.Timeout', cause: 'stopped' });
  });
});

import { GatewayError } from '../response';
import { IntegrationInput, IntegrationOutput, IntegrationRunner } from './index';

/**
 * MOCK: API Gateway answers itself with the status code the integration request asks for,
 * `{"statusCode": 200}` (AWS: "the mapping template ... must return {"statusCode": <code>}";
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html), and an
 * empty integration response body (the integration response template makes the answer).
 * API Gateway reads the status leniently: aws-cdk-lib's own CORS preflight mock sends
 * `{ statusCode: 200 }` (an unquoted key) and works on AWS, so a body that is not strict JSON is
 * searched for a `statusCode: N` pair.
 * Chosen where AWS is not documented: a body with no `statusCode` (no template, passed through)
 * answers 200; a body that is neither JSON nor has such a pair answers 500, as a mock that cannot
 * read its status.
 */
export class MockIntegrationRunner implements IntegrationRunner {
  public async run(input: IntegrationInput): Promise<IntegrationOutput> {
    const text = input.body.toString('utf8').trim();
    let statusCode = 200;
    if (text !== '') {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        const lenient = /^\{[\s\S]*?["']?statusCode["']?\s*:\s*["']?(\d+)/.exec(text);
        doc = lenient ? { statusCode: lenient[1] } : undefined;
      }
      if (doc === undefined) {
        throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error',
          `MOCK ${input.method.logicalId}: the integration request is not JSON, so it names no statusCode: ${text.slice(0, 80)}`, 500);
      }
      const code = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).statusCode : undefined;
      if (code !== undefined) {
        const n = Number(code);
        if (!Number.isInteger(n) || n < 100 || n > 599) {
          throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', `MOCK ${input.method.logicalId}: statusCode ${JSON.stringify(code)} is not an HTTP status`, 500);
        }
        statusCode = n;
      }
    }
    return { statusCode, headers: {}, body: Buffer.alloc(0) };
  }
}

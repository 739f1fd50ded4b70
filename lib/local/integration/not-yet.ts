import { GatewayError } from '../response';
import { IntegrationInput, IntegrationOutput, IntegrationRunner } from './index';

/**
 * An integration type the emulator does not run yet: 502 naming it, never a made-up success.
 */
export class NotYetRunner implements IntegrationRunner {
  constructor(private readonly what: string) {}

  public async run(input: IntegrationInput): Promise<IntegrationOutput> {
    const message = `the emulator does not run ${this.what} integrations yet (${input.method.HttpMethod} ${input.method.resourcePath})`;
    throw new GatewayError('INTEGRATION_FAILURE', message, message, 502);
  }
}

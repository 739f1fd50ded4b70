import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { fixedStatusTemplate, MockValueSource, scenarioStatusTemplate } from '../templates/mock-templates';
import { literalJson, staticHeaderValue } from '../templates/vtl';
import { RouteBase, RouteBaseProps } from './route-base';
import { HEADER_NAME } from '../internal/names';
import { checkUserTemplate, checkWrappedUserTemplate } from '../internal/user-template-check';
import { checkProps, instanceOf } from '../internal/prop-checks';
import { MOCK_ROUTE_PROPS } from '../internal/route-prop-specs';

/** The request value that picks a mock scenario. */
export class MockSelector {
  /** A query string parameter, e.g. `?scenario=notFound`. */
  public static queryParameter(name: string): MockSelector {
    return new MockSelector(MockValueSource.QUERY, name);
  }

  /** A request header, e.g. `X-Mock-Scenario: notFound`. */
  public static header(name: string): MockSelector {
    return new MockSelector(MockValueSource.HEADER, name);
  }

  /** A path parameter of the route, e.g. `{id}` in `/items/{id}`. */
  public static pathParameter(name: string): MockSelector {
    return new MockSelector(MockValueSource.PATH, name);
  }

  private constructor(
    /** @internal */ public readonly _source: MockValueSource,
    /** @internal */ public readonly _name: string,
  ) {}
}

/** One answer of a mock. Give `body` (JSON) or `responseTemplate` (VTL), not both. */
export interface MockResponse {
  /**
   * The HTTP status code.
   * @default 200
   */
  readonly statusCode?: number;
  /**
   * The JSON body, printed verbatim (no `$` or `#` in it is read as VTL).
   * @default - no body unless responseTemplate is given
   */
  readonly body?: any;
  /**
   * A VTL response template for a dynamic body, e.g. `{"time": "$context.requestTime"}`.
   * You own its escaping: prefer `body` for static answers.
   * @default - the body, or an empty body
   */
  readonly responseTemplate?: string;
  /**
   * Static response headers.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
}

/** An alternative answer chosen when the selector's request value equals `value`. */
export interface MockScenario extends MockResponse {
  /** The request value that picks this scenario, e.g. 'notFound'. */
  readonly value: string;
}

/** Props of a `MockRoute`. */
export interface MockRouteProps extends RouteBaseProps, MockResponse {
  /**
   * Alternative answers picked by a request value, for prototyping and error simulation: e.g. a
   * scenario `{ value: 'notFound', statusCode: 404, body: {...} }` answers `?scenario=notFound`.
   * Each answer needs its own status code, because a mock picks its answer by status code.
   * @default - always the main answer
   */
  readonly scenarios?: MockScenario[];
  /**
   * Where the scenario value is read.
   * @default MockSelector.queryParameter('scenario')
   */
  readonly scenarioSelector?: MockSelector;
}

function orUndefined<T>(map: { [k: string]: T }): { [k: string]: T } | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}

/**
 * A route that API Gateway answers itself (MOCK integration): fixed or templated JSON, response headers,
 * and alternative answers chosen by a query parameter, header or path parameter to simulate errors.
 * Every answer is declared as a method response; with CORS, every answer carries the CORS headers.
 */
export class MockRoute extends RouteBase {
  /** The method this route created. */
  public readonly method: apigw.Method;

  constructor(scope: Construct, id: string, props: MockRouteProps) {
    super(scope, id, props);
    checkProps(this._name, props, { ...MOCK_ROUTE_PROPS, scenarioSelector: instanceOf(MockSelector, "a MockSelector such as MockSelector.header('X-Mock-Scenario')") });
    const main = this.answer('the main answer', props, 200);
    const scenarios = (props.scenarios ?? []).map((s, i) => {
      if (typeof s.value !== 'string' || s.value.length === 0) {
        throw new Error(`${this._name}: scenario ${i + 1} needs a non-empty value (the request value that picks it)`);
      }
      return { value: s.value, ...this.answer(`scenario '${s.value}'`, s, 200) };
    });
    const cors = this._corsAnswerParts();
    const owner = { route: this._name, httpMethod: this.httpMethod, path: this.path };
    for (const [i, a] of [main, ...scenarios].entries()) {
      if (a.userTemplate === undefined) continue;
      // The main answer is the default integration response; a scenario's is selected by its status code.
      const place = `the response template of ${a.what} (status ${a.statusCode}, ` +
        `${i === 0 ? 'default response' : `selection pattern ${a.statusCode}`}, application/json)`;
      checkUserTemplate(owner, place, a.userTemplate);
      checkWrappedUserTemplate(owner, place, cors.templatePrefix + a.template);
    }
    this.checkDistinct(main.statusCode, scenarios);
    const selector = props.scenarioSelector ?? MockSelector.queryParameter('scenario');
    if (scenarios.length > 0 && selector._source === MockValueSource.PATH && !this._parsedPath.parameters.includes(selector._name)) {
      throw new Error(`${this._name}: the scenario selector reads path parameter '${selector._name}', which ${this.path} does not ` +
        `have: use one of {${this._parsedPath.parameters.join('}, {') || 'no parameters'}} or a query parameter`);
    }

    let requestTemplate: string;
    try {
      requestTemplate = scenarios.length > 0
        ? scenarioStatusTemplate(selector._source, selector._name, scenarios, main.statusCode)
        : fixedStatusTemplate(main.statusCode);
    } catch (e) {
      // vtlString rejects a \uXXXX sequence in a scenario value or selector name; say which route and what to do.
      throw new Error(`${this._name}: ${(e as Error).message}: use scenario values and a selector name without it`);
    }

    const integrationResponses: apigw.IntegrationResponse[] = [main, ...scenarios].map((a, i) => ({
      statusCode: String(a.statusCode),
      // The main answer is the default response; scenarios are picked by their exact status code.
      selectionPattern: i === 0 ? undefined : String(a.statusCode),
      responseParameters: orUndefined({ ...a.headerParameters, ...cors.responseParameters }),
      responseTemplates: { 'application/json': cors.templatePrefix + a.template },
    }));
    const methodResponses: apigw.MethodResponse[] = [main, ...scenarios].map((a) => ({
      statusCode: String(a.statusCode),
      responseParameters: orUndefined({ ...a.declaredHeaders, ...cors.declared }),
    }));

    this.method = this._addMethod(new apigw.MockIntegration({
      requestTemplates: { 'application/json': requestTemplate },
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      integrationResponses,
      cacheKeyParameters: this._cacheKeyParameters,
    }), methodResponses);
  }

  private answer(what: string, response: MockResponse, defaultStatus: number) {
    const statusCode = response.statusCode ?? defaultStatus;
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
      throw new Error(`${this._name}: ${what} has status code ${statusCode}: use an HTTP status code from 100 to 599`);
    }
    if (response.body !== undefined && response.responseTemplate !== undefined) {
      throw new Error(`${this._name}: ${what} has both body and responseTemplate: give one`);
    }
    let template = '';
    if (response.body !== undefined) {
      try {
        template = literalJson(response.body);
      } catch {
        throw new Error(`${this._name}: ${what} has a body that is not JSON-serializable: pass plain objects, arrays, strings, numbers or booleans`);
      }
    } else if (response.responseTemplate !== undefined) {
      template = response.responseTemplate;
    }
    const headerParameters: { [k: string]: string } = {};
    const declaredHeaders: { [k: string]: boolean } = {};
    for (const [name, value] of Object.entries(response.headers ?? {})) {
      if (!HEADER_NAME.test(name)) throw new Error(`${this._name}: ${what} has header name '${name}', which is not a valid HTTP header name`);
      if (/^access-control-/i.test(name) && this._cors) {
        throw new Error(`${this._name}: ${what} sets ${name} by hand while the route has CORS: let the cors option set CORS headers`);
      }
      headerParameters[`method.response.header.${name}`] = staticHeaderValue(this._name, name, value);
      declaredHeaders[`method.response.header.${name}`] = true;
    }
    return { what, statusCode, template, userTemplate: response.responseTemplate, headerParameters, declaredHeaders };
  }

  private checkDistinct(mainStatus: number, scenarios: Array<{ value: string; statusCode: number }>) {
    const seen = new Map<number, string>([[mainStatus, 'the main answer']]);
    const values = new Set<string>();
    for (const s of scenarios) {
      if (values.has(s.value)) throw new Error(`${this._name}: scenario value '${s.value}' is listed twice: give each scenario its own value`);
      values.add(s.value);
      const other = seen.get(s.statusCode);
      if (other) {
        throw new Error(`${this._name}: scenario '${s.value}' answers ${s.statusCode} like ${other}: a mock picks its answer by ` +
          'status code, so give each scenario its own status code');
      }
      seen.set(s.statusCode, `scenario '${s.value}'`);
    }
  }
}

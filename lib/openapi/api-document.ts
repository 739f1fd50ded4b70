import * as fs from 'node:fs';
import * as path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { snapshotApi } from './api-snapshot';
import { RouteBase } from '../routes/route-base';
import { buildOpenApiDocument, RouteNote } from './document-builder';
import { toYaml } from './yaml';

/** The document files of each stage's cloud assembly, and the document writing each. */
const filesByStage = new WeakMap<object, Map<string, string>>();
function documentFiles(stage: object): Map<string, string> {
  let files = filesByStage.get(stage);
  if (!files) {
    files = new Map();
    filesByStage.set(stage, files);
  }
  return files;
}

/** Props of `ApiDocument`. */
export interface ApiDocumentProps {
  /** The REST API to document (a RestApi or SpecRestApi of this app, made by this library or not). */
  readonly api: apigw.RestApiBase;
  /**
   * Add API Gateway's extensions (`x-amazon-apigateway-integration`, request validators, API key source,
   * binary media types, gateway responses, authorizers), so that API Gateway can import the document.
   * @default false
   */
  readonly includeIntegrations?: boolean;
  /**
   * Also write the document as YAML (`.openapi.yaml`) beside the JSON one.
   * @default false
   */
  readonly yaml?: boolean;
  /**
   * Also write the document to this path (relative to the directory `cdk synth` runs in), e.g.
   * `docs/openapi.json` for a contract test or a client generator; a `.yaml`/`.yml` path is written as YAML.
   * @default - only into the cloud assembly
   */
  readonly outputPath?: string;
  /**
   * The file name in the cloud assembly (it must end with `.json`; the YAML one ends with `.yaml`).
   * @default `<stack artifact id>.<api construct id>.openapi.json`
   */
  readonly fileName?: string;
  /**
   * The document's `info.title`.
   * @default - the API's name
   */
  readonly title?: string;
  /**
   * The document's `info.version`.
   * @default '1.0'
   */
  readonly version?: string;
}

/**
 * The OpenAPI 3.0 document of a REST API, written at synth into the cloud assembly as
 * `<stack>.<api>.openapi.json`: paths, methods, parameters, request bodies from models, responses,
 * security schemes, servers per stage; with `includeIntegrations`, API Gateway's extensions. Values
 * known only at deploy time are `Fn::Sub` placeholders (`${Api}`, `${Role.Arn}`, `${AWS::Region}`).
 */
export class ApiDocument extends Construct {
  /** The file name of the document in the cloud assembly. */
  public readonly fileName: string;
  private readonly props: ApiDocumentProps;

  constructor(scope: Construct, id: string, props: ApiDocumentProps) {
    super(scope, id);
    if (!props || !props.api || !(props.api instanceof apigw.RestApiBase)) {
      throw new Error(`${this.node.path}: ApiDocument needs 'api', a RestApi or SpecRestApi of this app`);
    }
    this.props = props;
    this.fileName = props.fileName ?? `${cdk.Stack.of(props.api).artifactId}.${props.api.node.id}.openapi.json`;
    if (!/^[A-Za-z0-9._-]+\.json$/.test(this.fileName)) {
      throw new Error(`${this.node.path}: fileName ${this.fileName} must be a plain file name ending with .json (letters, digits, '.', '_', '-')`);
    }
    const taken = documentFiles(cdk.Stage.of(this) ?? this.node.root);
    const other = taken.get(this.fileName);
    if (other) {
      throw new Error(`${this.node.path}: ${other} already writes ${this.fileName} to the cloud assembly; give this document another fileName`);
    }
    taken.set(this.fileName, this.node.path);
    const write = (outdir: string): void => this.write(outdir);
    const attach = (cdk as unknown as { attachCustomSynthesis?: (c: Construct, s: { onSynthesize(session: cdk.ISynthesisSession): void }) => void }).attachCustomSynthesis;
    if (typeof attach === 'function') {
      attach(this, { onSynthesize: (session) => write(session.outdir) });
    } else {
      // Older aws-cdk-lib: validation runs once the tree is complete, before the templates are written.
      this.node.addValidation({ validate: () => { write(cdk.Stage.of(this)?.outdir ?? 'cdk.out'); return []; } });
    }
  }

  /** The document, as it will be written (an object; call at synth time, when the API is complete). */
  public document(): any {
    const snapshot = snapshotApi(this.props.api);
    if (snapshot.elsewhere.length > 0) {
      // Not expected (the API's stack and the stacks nested in it are read): said rather than left out silently.
      cdk.Annotations.of(this).addWarningV2('cdk-apigateway-patterns:apiDocumentUnreadMethods',
        `${snapshot.elsewhere.length} method(s) of ${this.props.api.node.path} could not be read from their stack and are not in the OpenAPI document, e.g. ${snapshot.elsewhere[0]}`);
    }
    return buildOpenApiDocument(snapshot, {
      includeIntegrations: this.props.includeIntegrations ?? false,
      title: this.props.title,
      version: this.props.version,
      routeNotes: this.routeNotes(),
    });
  }

  /** The routes of this library on the API: their kind and descriptions, by `METHOD /path`. */
  private routeNotes(): Map<string, RouteNote> {
    const notes = new Map<string, RouteNote>();
    for (const c of this.node.root.node.findAll()) {
      if (c instanceof RouteBase && c.api === this.props.api) notes.set(`${c.httpMethod} ${c.path}`, c._documentation());
    }
    return notes;
  }

  private write(outdir: string): void {
    const document = this.document();
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, this.fileName), `${JSON.stringify(document, undefined, 2)}\n`);
    if (this.props.yaml) fs.writeFileSync(path.join(outdir, this.fileName.replace(/\.json$/, '.yaml')), toYaml(document));
    if (this.props.outputPath) {
      const target = path.resolve(this.props.outputPath);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, /\.ya?ml$/i.test(target) ? toYaml(document) : `${JSON.stringify(document, undefined, 2)}\n`);
    }
  }
}

/**
 * PandaDoc's own OpenAPI document (the auth part of version 8.8.0) as validators of response
 * bodies, so tests can hold the test server, and the extension's readers, to PandaDoc's word.
 * The document is not part of this repository: it is read from `../shared` beside the clone.
 *
 * How the document becomes JSON Schema for ajv:
 * - The whole document is added to ajv as one schema with an `$id`, and a body schema is compiled
 *   as a `$ref` to its JSON pointer (`<id>#/paths/.../schema`); ajv then resolves every `$ref`
 *   inside (`#/components/schemas/...`) against the document itself.
 * - A Response Object may itself be a `$ref` (`#/components/responses/401`). Those are not
 *   schemas, so they are followed here, by pointer, before the schema's pointer is built.
 * - Strict mode stays on, so a keyword nobody handled fails the compile instead of being
 *   ignored. Declared as keywords that validate nothing: the OpenAPI Object's own fields (ajv
 *   compiles the document's root once, as the resource the pointers lead into) and the Schema
 *   Object's OpenAPI-only annotations (`example`, `discriminator`, `xml`, `externalDocs`).
 *   OpenAPI 3.0's `nullable` is ajv's own keyword; its boolean `exclusiveMinimum` would fail the
 *   compile (the document has neither).
 * - `strictTypes` is off: the document's error schemas give `properties` without
 *   `type: "object"`, which JSON Schema and OpenAPI alike read as "if the body is an object".
 *   Those schemas reject only a field of the wrong type; a body that is not JSON at all is
 *   caught here, by its declared media type, not by the schema.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** `../shared/` beside the repository; this file compiles to out/test/support/openapi.js. */
export const OPENAPI_FILE = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'pandadoc-openapi-auth.json');

/** The document's name as a schema resource: every pointer into it starts here. */
const DOCUMENT_ID = 'pandadoc-openapi-auth.json';

/** The fields of the OpenAPI Object (3.0 and 3.1), and the Schema Object's OpenAPI-only ones. */
const OPENAPI_KEYWORDS = [
  'openapi',
  'info',
  'jsonSchemaDialect',
  'servers',
  'paths',
  'webhooks',
  'components',
  'security',
  'tags',
  'externalDocs',
  'example',
  'discriminator',
  'xml',
];

type Json = Record<string, unknown>;

/** One HTTP answer as a test received it. */
export interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

export interface Example {
  name: string;
  value: unknown;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON pointer's segments as they go into a URI fragment. */
function pointer(segments: string[]): string {
  return segments.map((s) => `/${encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('');
}

/** A `$ref` into this document (`#/components/...`) as pointer segments. */
function refSegments(ref: string): string[] {
  if (!ref.startsWith('#/')) {
    throw new Error(`only $refs into the document itself are followed, not ${ref}`);
  }
  return ref
    .slice(2)
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `application/json; charset=utf-8` -> `application/json`. */
function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export class OpenApiDocument {
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    private readonly document: Json,
    private readonly ajv: Ajv,
  ) {}

  static load(file = OPENAPI_FILE): OpenApiDocument {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`PandaDoc's OpenAPI document is expected at ${file} (../shared beside the repository): ${String(error)}`);
    }
    const document = JSON.parse(text) as Json;
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    ajv.addVocabulary(OPENAPI_KEYWORDS);
    ajv.addSchema(document, DOCUMENT_ID);
    return new OpenApiDocument(document, ajv);
  }

  get version(): string {
    return String((this.document.info as Json | undefined)?.version);
  }

  /** The value at `segments`, each `$ref` on the way followed; with the pointer it ends at. */
  private at(segments: string[]): { value: unknown; segments: string[] } {
    let value: unknown = this.document;
    let where: string[] = [];
    for (const segment of segments) {
      value = isObject(value) ? value[segment] : undefined;
      where = [...where, segment];
      if (isObject(value) && typeof value.$ref === 'string') {
        ({ value, segments: where } = this.at(refSegments(value.$ref)));
      }
    }
    return { value, segments: where };
  }

  /** The Response Object the document declares for one status of one operation. */
  private response(route: string, method: string, status: number): { value: Json; segments: string[] } {
    const found = this.at(['paths', route, method.toLowerCase(), 'responses', String(status)]);
    if (!isObject(found.value)) {
      throw new Error(`the document declares no ${status} response for ${method.toUpperCase()} ${route}`);
    }
    return { value: found.value, segments: found.segments };
  }

  /** The media types one response may come in (`application/json`). */
  mediaTypes(route: string, method: string, status: number): string[] {
    const content = this.response(route, method, status).value.content;
    return isObject(content) ? Object.keys(content) : [];
  }

  /** The compiled schema of one response's body, compiled once. */
  bodySchema(route: string, method: string, status: number, mediaType = 'application/json'): ValidateFunction {
    const { segments } = this.response(route, method, status);
    const ref = `${DOCUMENT_ID}#${pointer([...segments, 'content', mediaType, 'schema'])}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      if (!this.mediaTypes(route, method, status).includes(mediaType)) {
        throw new Error(`the ${status} response of ${method.toUpperCase()} ${route} has no ${mediaType} content`);
      }
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }

  /** Every way `answer` departs from the document; empty when it conforms. */
  problems(route: string, method: string, answer: Answer): string[] {
    let mediaTypes: string[];
    try {
      mediaTypes = this.mediaTypes(route, method, answer.status);
    } catch (error) {
      return [(error as Error).message];
    }
    const mediaType = mediaTypeOf(answer.contentType);
    if (!mediaTypes.includes(mediaType)) {
      return [`content type ${answer.contentType ?? '(none)'} is not one of ${mediaTypes.join(', ')}`];
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [`the body is not JSON, though declared ${mediaType}`];
    }
    const validate = this.bodySchema(route, method, answer.status, mediaType);
    if (validate(body)) {
      return [];
    }
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword}`);
  }

  /**
   * The document's examples of one response's JSON body: the media type's `example` and
   * `examples`, and one assembled from the schema's own `example`s, field by field (as the
   * reference pages and mock servers built from the document show it).
   */
  examples(route: string, method: string, status: number): Example[] {
    const media = this.response(route, method, status).value.content;
    const json = isObject(media) && isObject(media['application/json']) ? media['application/json'] : {};
    const named = isObject(json.examples) ? Object.entries(json.examples) : [];
    const examples: Example[] = [
      ...('example' in json ? [{ name: 'example', value: json.example }] : []),
      ...named.map(([name, example]) => ({ name, value: (isObject(example) ? example : {}).value })),
    ];
    const assembled = this.exampleOf(json.schema);
    return assembled === undefined ? examples : [...examples, { name: 'field examples', value: assembled }];
  }

  private exampleOf(schema: unknown): unknown {
    if (isObject(schema) && typeof schema.$ref === 'string') {
      return this.exampleOf(this.at(refSegments(schema.$ref)).value);
    }
    if (!isObject(schema)) {
      return undefined;
    }
    if ('example' in schema) {
      return schema.example;
    }
    if (!isObject(schema.properties)) {
      return undefined;
    }
    const fields = Object.entries(schema.properties).map(([name, field]) => [name, this.exampleOf(field)]);
    return Object.fromEntries(fields.filter(([, value]) => value !== undefined));
  }
}

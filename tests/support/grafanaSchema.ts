import { join } from 'node:path';

import Ajv, { type ErrorObject } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';

/**
 * JSON schemas made from Grafana's own published TypeScript types, so a provisioning file is checked against
 * the model Grafana loads, at the pinned version, rather than against our reading of it. Extra properties are
 * allowed: Grafana keeps fields it does not model (a v1 dashboard is migrated, not rejected).
 */
const MODULES = join(__dirname, '..', '..', 'node_modules');

/** `@grafana/schema`'s classic (v1) dashboard model — what a provisioned dashboard JSON file is. */
export const DASHBOARD_TYPES = join(MODULES, '@grafana/schema/dist/types/raw/dashboard/x/types.gen.d.ts');
/** `@grafana/grafana-foundation-sdk`'s alert rule model (Grafana's provisioning API types). */
export const ALERTING_TYPES = join(MODULES, '@grafana/grafana-foundation-sdk/dist/alerting/types.gen.d.ts');

export type Validate = (value: unknown) => string[];

export function validatorFor(path: string, type: string, patch?: (schema: Schema) => void): Validate {
  const schema = createGenerator({ path, type, skipTypeCheck: true, additionalProperties: true }).createSchema(
    type
  ) as Schema;
  patch?.(schema);
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map(describe));
}

export interface Schema {
  definitions: Record<string, object>;
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`;
}

/**
 * The dashboard model types an annotation's `target` as the built-in Grafana annotation query (its own comment
 * says so: "these match the properties of the grafana datasource"); an annotation from any other data source
 * stores that data source's query there, which Grafana accepts. So a target is either of the two.
 */
export function dashboardValidator(): Validate {
  return validatorFor(DASHBOARD_TYPES, 'Dashboard', (schema) => {
    const builtIn = schema.definitions.AnnotationTarget;
    schema.definitions.AnnotationTarget = {
      anyOf: [builtIn, { type: 'object', required: ['refId'], properties: { refId: { type: 'string' } } }],
    };
  });
}

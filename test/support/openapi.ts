import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { routingControllersToSpec } from 'routing-controllers-openapi';
import { storageOf } from '../../demo/openapi';

/**
 * Validates a document against the OpenAPI Initiative's JSON Schema for its version (3.1 here,
 * with the 3.1 schema dialect), and fails with the validator's own errors.
 */
export async function expectValidOpenApi31(document: object): Promise<void> {
  const validator = new Validator();
  // The validator resolves $refs in place: it gets a copy.
  const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
  expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).to.deep.equal([]);
  expect(result.valid).to.equal(true);
  expect(validator.version).to.equal('3.1');
}

/** What routing-controllers-openapi builds for these controllers only (the test process loads many). */
export function specOf(controllers: readonly Function[], routePrefix?: string) {
  return routingControllersToSpec(
    storageOf(controllers),
    { routePrefix },
    { info: { title: 'test API', version: '1.0.0' } },
  );
}

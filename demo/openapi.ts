import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { getMetadataArgsStorage, MetadataArgsStorage } from 'routing-controllers';
import { routingControllersToSpec } from 'routing-controllers-openapi';
import type { DependencyContainer } from 'tsyringe';
import { entraSecurity, type OpenApiDocument } from '../src/openapi';
import { DEMO_CONTROLLERS } from './controllers';
import { DEMO_RESPONSE_CLASSES } from './responses';

/**
 * The demo's OpenAPI document: what routing-controllers-openapi builds from the controllers (with
 * class-validator-jsonschema's schemas of the answers), and the security entraSecurity adds.
 */
export function demoDocument(container: DependencyContainer): OpenApiDocument {
  const names = DEMO_RESPONSE_CLASSES.map((responseClass) => responseClass.name);
  const schemas = Object.fromEntries(
    Object.entries(validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' })).filter(([name]) =>
      names.includes(name),
    ),
  );
  const spec = routingControllersToSpec(
    storageOf(DEMO_CONTROLLERS),
    {},
    {
      info: {
        title: 'entra-auth-middleware demo',
        version: '1.0.0',
        description: 'The demo API. "Authorize" signs in with Microsoft Entra ID (in embedded mode: the emulator).',
      },
      components: { schemas },
    },
  );
  return entraSecurity(container, { controllers: DEMO_CONTROLLERS }).addTo(spec);
}

/**
 * routing-controllers-openapi documents every controller loaded in the process; a test process
 * loads many apps' controllers, so the demo hands it the metadata of its own only.
 */
export function storageOf(controllers: readonly Function[]): MetadataArgsStorage {
  const all = getMetadataArgsStorage();
  const storage = new MetadataArgsStorage();
  storage.controllers = all.controllers.filter((controller) => controllers.includes(controller.target));
  storage.actions = all.actions.filter((action) => controllers.includes(action.target));
  storage.params = all.params;
  storage.responseHandlers = all.responseHandlers;
  return storage;
}

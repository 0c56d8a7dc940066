import { Authorized, Get, JsonController } from 'routing-controllers';
import { OpenAPI } from 'routing-controllers-openapi';

// Controllers of the same class name (as in v1/ and v2/ folders) give the same operationId, and
// routes whose paths routing-controllers-openapi converts its own way (`(.*)` → `{0}`, no path):
// the shapes where placing an operation by id, or by a path converted differently, lends it
// another route's security.

const ADMIN = 'role:Files.Admin';

/** v1 protects its files, v2 serves them to anyone. */
export const PROTECTED_V1 = [
  (() => {
    @JsonController('/v1')
    class FilesController {
      @Authorized([ADMIN])
      @Get('/files/(.*)')
      get() {
        return {};
      }
    }
    return FilesController;
  })(),
  (() => {
    @JsonController('/v2')
    class FilesController {
      @Get('/files/(.*)')
      get() {
        return {};
      }
    }
    return FilesController;
  })(),
];

/** The reverse: v1 open, v2 protected. */
export const PROTECTED_V2 = [
  (() => {
    @JsonController('/v1')
    class FilesController {
      @Get('/files/(.*)')
      get() {
        return {};
      }
    }
    return FilesController;
  })(),
  (() => {
    @JsonController('/v2')
    class FilesController {
      @Authorized([ADMIN])
      @Get('/files/(.*)')
      get() {
        return {};
      }
    }
    return FilesController;
  })(),
];

/** Routes without a path of their own (`@Get()`): v1 protected, v2 open. */
export const NO_PATH = [
  (() => {
    @JsonController('/v1/listing')
    class ListingController {
      @Authorized()
      @Get()
      list() {
        return {};
      }
    }
    return ListingController;
  })(),
  (() => {
    @JsonController('/v2/listing')
    class ListingController {
      @Get()
      list() {
        return {};
      }
    }
    return ListingController;
  })(),
];

/** A protected `(.*)` route whose operationId `@OpenAPI` sets. */
export const CUSTOM_OPERATION_ID = [
  (() => {
    @JsonController('/custom')
    class FilesController {
      @Authorized([ADMIN])
      @OpenAPI({ operationId: 'downloadFile' })
      @Get('/files/(.*)')
      get() {
        return {};
      }
    }
    return FilesController;
  })(),
];

/** Two controllers answering the same method and path under the same operationId, one protected. */
export const ONE_OPERATION_TWO_ROUTES = [
  (() => {
    @JsonController('/shared')
    class SharedController {
      @Authorized([ADMIN])
      @Get('/item')
      item() {
        return {};
      }
    }
    return SharedController;
  })(),
  (() => {
    @JsonController('/shared')
    class SharedController {
      @Get('/item')
      item() {
        return {};
      }
    }
    return SharedController;
  })(),
];

/** A route a controller inherits, which routing-controllers-openapi 5 leaves out of its document. */
export class ListingBase {
  @Get('/all')
  all() {
    return {};
  }
}

@Authorized()
@JsonController('/inherited')
export class InheritingController extends ListingBase {}

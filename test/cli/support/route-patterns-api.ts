// Controllers whose routes only the router's own matching tells apart: a parameter with a pattern,
// a parameter registered before a literal route it shadows, an @Get() without a path.
import { Authorized, Get, JsonController } from 'routing-controllers';

@JsonController()
export class NumberedReportsController {
  @Authorized(['role:Reports.Admin'])
  @Get('/reports/:id(\\d+)')
  byNumber() {
    return {};
  }
}

@JsonController()
export class NamedReportsController {
  @Get('/reports/:slug')
  bySlug() {
    return {};
  }

  // Registered after /reports/:slug, which matches it too: routing-controllers never runs it.
  @Authorized(['role:Reports.Admin'])
  @Get('/reports/latest')
  latest() {
    return {};
  }
}

@JsonController('/items')
export class ItemsController {
  @Authorized()
  @Get()
  list() {
    return [];
  }
}

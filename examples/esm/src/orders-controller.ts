import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import type { EntraIdUser } from 'entra-auth-middleware';

@JsonController('/orders')
export class OrdersController {
  // A delegated scope of the API (the token's scp claim).
  @Authorized(['scope:Orders.Read'])
  @Get('/mine')
  mine(@CurrentUser() user: EntraIdUser) {
    return { owner: user.id, orders: [] };
  }

  // A group name from the custom groups provider.
  @Authorized(['Order Managers'])
  @Get('/all')
  async all(@CurrentUser() user: EntraIdUser) {
    return { requestedBy: user.name, groups: await user.groups, orders: [] };
  }
}

// An API whose routes ask for what the emulator's app registration does not define: `doctor`
// must name each entry that no token can ever carry.
import { Authorized, Get, JsonController } from 'routing-controllers';

@JsonController('/files')
export class FilesController {
  @Authorized(['scope:Files.Read'])
  @Get('/')
  list() {
    return [];
  }

  @Authorized(['role:Files.Admin', 'Administrators'])
  @Get('/admin')
  admin() {
    return [];
  }
}

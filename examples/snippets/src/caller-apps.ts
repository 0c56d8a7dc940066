import { Authorized, Get, JsonController } from 'routing-controllers';

@JsonController('/jobs')
export class JobsController {
  // #region caller-apps
  @Authorized(['app:only', 'role:Jobs.Run']) // daemons (client credentials) holding the app role Jobs.Run
  @Get('/run')
  run() {
    return { started: true };
  }

  @Authorized(['app:delegated']) // only on behalf of a signed-in user
  @Get('/mine')
  mine() {
    return [];
  }
  // #endregion caller-apps
}

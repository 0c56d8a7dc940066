import { container } from 'tsyringe';
import { registerEntraAuth } from 'entra-auth-middleware';

const appContainer = registerEntraAuth(container.createChildContainer());
// #region pino-logger
import pino from 'pino';
import { Logger } from 'entra-auth-middleware';

const log = pino({ level: 'info' }); // 'debug' adds a line per refused token
appContainer.register(Logger, {
  useValue: {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  },
}); // before useEntraAuth
// #endregion

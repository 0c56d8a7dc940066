// #region validation-spans
import { container } from 'tsyringe';
import { registerEntraAuth } from 'entra-auth-middleware';

registerEntraAuth(container.createChildContainer(), { telemetry: { validationSpans: true } });
// #endregion

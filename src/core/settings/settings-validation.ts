import { IsOptional, ValidateIf, validateSync } from 'class-validator';
import { SETTING_ROWS, describeVariables, type SettingKey } from './settings-table';

/**
 * Declares the class-validator checks of every setting on the class, from the table: each kind's
 * decorators, applied to its property. (Decorators rather than class-validator's schemas: schema
 * validation is no longer supported by class-validator, and the kinds keep typed constraints.)
 */
export function declareValidation(target: abstract new () => object): void {
  for (const row of SETTING_ROWS) {
    const decorators = row.kind.decorators();
    if ('whenDisabled' in row) decorators.push(CheckedUnlessDisabledAndAbsent());
    else if (!('default' in row)) decorators.push(IsOptional());
    for (const decorate of decorators) decorate(target.prototype, row.key);
  }
}

/**
 * One problem per invalid setting, naming its variables and what is expected ("required; " when
 * unset), in the table's order. Settings already refused while read are left out.
 */
export function validationProblems(
  settings: object,
  leftOut: ReadonlySet<SettingKey>,
): { problems: string[]; invalid: Set<SettingKey> } {
  const problems: string[] = [];
  const invalid = new Set<SettingKey>();
  for (const error of validateSync(settings, { forbidUnknownValues: true })) {
    const key = error.property as SettingKey;
    invalid.add(key);
    if (leftOut.has(key)) continue;
    const expectation = Object.values(error.constraints ?? {})[0] ?? 'invalid value';
    problems.push(`${describeVariables(key)}: ${error.value === undefined ? 'required; ' : ''}${expectation}`);
  }
  return { problems, invalid };
}

/**
 * Under AUTH_MIDDLEWARE_DISABLED no token is ever verified, so a tenant and an audience are
 * validated only when given.
 */
function CheckedUnlessDisabledAndAbsent(): PropertyDecorator {
  return ValidateIf(
    (settings: { middlewareDisabled?: unknown }, value: unknown) =>
      settings.middlewareDisabled !== true || !(value === undefined || (Array.isArray(value) && value.length === 0)),
  );
}

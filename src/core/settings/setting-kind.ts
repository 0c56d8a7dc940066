/**
 * How the settings of one kind are read, checked and shown. The settings table gives each setting
 * a kind; loading, validation, the start-up print-out and the README table all come from it.
 */
interface KindBase<Value> {
  /** The README's "accepted" column. */
  readonly accepted: string;
  /** class-validator decorators for the setting's property, each failing with the kind's message. */
  decorators(): PropertyDecorator[];
  /** The value as start-up logs and the README show it; never a secret. */
  show(value: Value): string;
}

/** A setting read from one variable and from its own key in code. */
export interface ValueKind<Value, Code = Value> extends KindBase<Value> {
  /** An environment value (trimmed, never empty); text it cannot read stays text, so validation names it. */
  fromText(text: string): unknown;
  /** A value given in code (null too: JavaScript callers get past the types). */
  fromCode(value: Code, context: CodeContext): unknown;
}

export interface CodeContext {
  /** The setting's key in `SettingsInput`. */
  readonly key: string;
  /** Records a shape that could only be misread; the setting's validation errors are then left out. */
  refuse(expectation: string): void;
}

/** A setting read from several variables or several keys in code: the kind says how they combine. */
export interface CompoundKind<Value, Inputs extends object> extends KindBase<Value> {
  /** Its keys in `SettingsInput`. */
  readonly inputs: readonly (keyof Inputs & string)[];
  /** The value to validate, or undefined when unset. */
  read(input: Inputs, source: SettingSource): unknown;
}

// Method syntax in the kinds above keeps every kind assignable to this wide form.
export type AnyKind = ValueKind<unknown, unknown> | CompoundKind<unknown, Record<string, unknown>>;

/** What a compound kind reads from besides the code values. */
export interface SettingSource {
  /** The setting's variables, in the table's order. */
  readonly variables: readonly string[];
  /** A variable's value, trimmed; undefined when unset or blank. */
  env(variable: string): string | undefined;
  /** A problem that names its variables itself (two of them disagreeing). */
  report(problem: string): void;
  /** A problem of this setting, after its variables; its validation errors are then left out. */
  refuse(expectation: string): void;
}

export function isCompound(kind: AnyKind): kind is CompoundKind<unknown, Record<string, unknown>> {
  return 'read' in kind;
}

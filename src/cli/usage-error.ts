/** The options of the command line, by the name it gives them. */
export type OptionName = 'app' | 'settings-file' | 'json' | 'route' | 'show-personal';

/**
 * A command line the CLI cannot act on. Its message is fixed per code: it names an option or
 * an argument's position, never what was typed, because what was typed is often the token
 * itself (`entra-auth <token>`, `--app <token>`).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  private constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  static unknownCommand(): UsageError {
    return new UsageError('unknown_command', 'unknown command: the first argument is explain, doctor or help');
  }

  /** `position` counts the command line's arguments from 1, the command included. */
  static unknownOption(command: string, position: number): UsageError {
    return new UsageError('unknown_option', `argument ${position} is not an option of ${command}`);
  }

  static missingValue(option: OptionName): UsageError {
    return new UsageError('missing_value', `--${option} needs a value`);
  }

  static unexpectedValue(option: OptionName): UsageError {
    return new UsageError('unexpected_value', `--${option} takes no value`);
  }

  static unexpectedArgument(position: number): UsageError {
    return new UsageError('unexpected_argument', `doctor takes no token or other argument (argument ${position})`);
  }

  static tooManyTokens(): UsageError {
    return new UsageError('too_many_tokens', 'explain takes one token (or "-" for standard input)');
  }

  static noToken(): UsageError {
    return new UsageError('no_token', 'no token given (an argument, or standard input)');
  }

  static routeWithoutApp(): UsageError {
    return new UsageError('route_without_app', '--route needs --app <module>, the module that defines the controllers');
  }

  static routeMalformed(): UsageError {
    return new UsageError('route_malformed', '--route: expected a method and a path, e.g. "GET /admin/users"');
  }

  static routerMissing(): UsageError {
    return new UsageError(
      'router_missing',
      "--route: @koa/router, the router of routing-controllers' Koa driver, cannot be loaded (npm install @koa/router)",
    );
  }

  /** `cause` is the error's code or class (`ENOENT`), from `errorKind`. */
  static settingsFileUnreadable(cause: string): UsageError {
    return new UsageError('settings_file_unreadable', `--settings-file: the file cannot be read (${cause})`);
  }

  static appNotJavaScript(): UsageError {
    return new UsageError(
      'app_not_javascript',
      '--app: the module must be compiled JavaScript, a file ending in .js, .cjs or .mjs',
    );
  }

  /** `cause` is the error's code or class (`ERR_MODULE_NOT_FOUND`, `SyntaxError`), from `errorKind`. */
  static appNotLoadable(cause: string): UsageError {
    return new UsageError(
      'app_not_loadable',
      `--app: the module cannot be loaded (${cause}); running it with node shows why`,
    );
  }

  static middlewareDisabled(): UsageError {
    return new UsageError(
      'middleware_disabled',
      'AUTH_MIDDLEWARE_DISABLED=true: the app reads no token at all (every request is the synthetic user); unset it to explain tokens',
    );
  }
}

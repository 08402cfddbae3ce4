/** The log methods the core uses; VS Code's LogOutputChannel satisfies it as it is. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

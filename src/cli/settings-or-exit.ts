// The command-line tools' settings: parsed once, and a bad setting is one line (naming it) and exit 1.
import { EnvError, parseEnv, type Env } from '../lib/server/env.ts';

export function settingsOrExit(): Env {
  try {
    return parseEnv();
  } catch (e) {
    console.error(e instanceof EnvError ? e.message : String(e));
    process.exit(1);
  }
}

/**
 * Configuration from the environment, read once at the edge (server start, CLI). Nothing
 * below `src/rules` or `src/demography` reads it.
 */
import { resolve } from 'node:path';

export type Config = {
  /** PostgreSQL server URL; when absent the embedded database (PGlite) is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database and the development keys. */
  dataDir: string;
  port: number;
  host: string;
  /** development | test | production */
  env: string;
  /** Idle timeout of a session, minutes. */
  sessionIdleMinutes: number;
  /** Absolute lifetime of a session, hours. */
  sessionMaxHours: number;
  /** Sign-in attempts per minute per client address. */
  signInRateLimit: number;
  /** Calculator requests a minute per client address (public, no sign-in). */
  publicRateLimit: number;
  logLevel: string;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.JUNHENG_DATA_DIR || './data'),
    port: Number(env.PORT || 3000),
    host: env.HOST || '0.0.0.0',
    env: env.NODE_ENV || 'development',
    sessionIdleMinutes: Number(env.JUNHENG_SESSION_IDLE_MINUTES || 30),
    sessionMaxHours: Number(env.JUNHENG_SESSION_MAX_HOURS || 12),
    signInRateLimit: Number(env.JUNHENG_SIGNIN_RATE_LIMIT || 20),
    publicRateLimit: Number(env.JUNHENG_PUBLIC_RATE_LIMIT || 600),
    logLevel: env.LOG_LEVEL || 'info',
  };
}

/** Opens what both the server and the CLI need: configuration, database, keys. */
import { type Config, loadConfig } from '../config.ts';
import { type Db, openDb } from '../db/connection.ts';
import { type Cipher, createCipher, loadKeys } from '../security/crypto.ts';

export type Runtime = { config: Config; db: Db; cipher: Cipher };

export async function openRuntime(
  overrides: Partial<Config> & { memory?: boolean } = {},
  env = process.env,
): Promise<Runtime> {
  const config = { ...loadConfig(env), ...overrides };
  const cipher = createCipher(loadKeys(env, config.dataDir));
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    appRole: 'junheng_app',
    memory: overrides.memory,
  });
  return { config, db, cipher };
}

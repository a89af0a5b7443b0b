/**
 * Core administration commands: `db migrate|seed|reset`, `user create|totp`, `audit verify`,
 * `id check`. All honour DATABASE_URL and JUNHENG_DATA_DIR like the server.
 */
import type { Command } from 'commander';

async function withRuntime<T>(fn: (rt: import('../../server/runtime.ts').Runtime) => Promise<T>): Promise<T> {
  const { openRuntime } = await import('../../server/runtime.ts');
  const rt = await openRuntime();
  try {
    return await fn(rt);
  } finally {
    await rt.db.close();
  }
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

export function register(program: Command): void {
  const db = program.command('db').description('Database: migrate, seed, reset / 数据库');
  db.command('migrate')
    .description('Apply pending SQL migrations / 执行数据库迁移')
    .action(() =>
      withRuntime(async (rt) => {
        const { migrate } = await import('../../db/migrate.ts');
        const applied = await migrate(rt.db);
        out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      }),
    );
  db.command('seed')
    .description(
      'Load reference data and, outside production, the demo accounts and family / 载入基础数据与演示账号',
    )
    .option('--no-demo', 'reference data only (areas, streets, departments)')
    .action((opts: { demo: boolean }) =>
      withRuntime(async (rt) => {
        const { prepareDatabase } = await import('../../server/start.ts');
        const { createLogger } = await import('../../server/logger.ts');
        await prepareDatabase(
          rt,
          createLogger('info', process.stderr as never),
          opts.demo && rt.config.env !== 'production',
        );
        out(`seeded ${rt.db.describe}`);
      }),
    );
  db.command('reset')
    .description('Drop everything and migrate again (refused in production) / 清空并重建数据库')
    .option('--yes', 'confirm')
    .action((opts: { yes?: boolean }) =>
      withRuntime(async (rt) => {
        if (rt.config.env === 'production') throw new Error('db reset is refused when NODE_ENV=production');
        if (!opts.yes) throw new Error('this drops every table; run again with --yes to confirm');
        const { resetSchema, migrate } = await import('../../db/migrate.ts');
        await resetSchema(rt.db);
        await migrate(rt.db);
        out(`reset ${rt.db.describe}`);
      }),
    );

  const user = program.command('user').description('Accounts / 账号');
  user
    .command('create')
    .description('Create a staff-side account; prints its TOTP secret once / 新建账号')
    .requiredOption('--username <name>', 'login name (lower-case letters, digits, . _ -)')
    .requiredOption('--name <displayName>', 'display name')
    .requiredOption('--role <role>', 'staff | area_admin | city_admin | auditor')
    .option('--area <code>', 'management area code (staff, area_admin)')
    .option('--department <code>', 'department code, e.g. health@530102 (staff)')
    .option('--password <password>', 'initial password (or JUNHENG_NEW_PASSWORD)')
    .action(
      (o: {
        username: string;
        name: string;
        role: string;
        area?: string;
        department?: string;
        password?: string;
      }) =>
        withRuntime(async (rt) => {
          const { createUser } = await import('../../server/modules/users/service.ts');
          const { inTransaction, SYSTEM } = await import('../../server/context.ts');
          const password = o.password ?? process.env.JUNHENG_NEW_PASSWORD;
          if (!password || password.length < 12)
            throw new Error('--password (at least 12 characters) is required');
          if (!['staff', 'area_admin', 'city_admin', 'auditor'].includes(o.role))
            throw new Error(`unknown role ${o.role}`);
          const r = await inTransaction(
            { db: rt.db, cipher: rt.cipher, clock: () => new Date() },
            { ...SYSTEM, role: 'system' },
            null,
            (ctx) =>
              createUser(
                { ...ctx, actor: { ...ctx.actor, role: 'city_admin' } as never },
                {
                  username: o.username,
                  displayName: o.name,
                  role: o.role as 'staff',
                  areaCode: o.area ?? null,
                  departmentCode: o.department ?? null,
                  password,
                },
              ),
          );
          out(
            JSON.stringify(
              { id: r.id, username: o.username, totpSecret: r.totpSecret, totpUri: r.totpUri },
              null,
              2,
            ),
          );
        }),
    );
  user
    .command('totp <username>')
    .description('Print the current TOTP code of a demo account (development only) / 演示账号动态码')
    .action(async (username: string) => {
      // Reads no database, so it works while the server holds the embedded one.
      if (process.env.NODE_ENV === 'production') throw new Error('refused in production');
      const { DEMO_TOTP_SECRETS } = await import('../../server/seed/demo-accounts.ts');
      const { totpFor } = await import('../../server/auth/service.ts');
      const secret = DEMO_TOTP_SECRETS[username];
      if (!secret) throw new Error(`${username} is not a demo account`);
      out(totpFor(secret).generate());
    });

  program
    .command('audit')
    .description('Audit log / 审计日志')
    .command('verify')
    .description('Verify the hash chain; reports the first altered row / 校验审计哈希链')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) =>
      withRuntime(async (rt) => {
        const { verifyAudit } = await import('../../server/audit.ts');
        const r = await verifyAudit(rt.db.kysely);
        if (o.json) out(JSON.stringify(r));
        else if (r.ok) out(`audit chain intact: ${r.rows} rows, last hash ${r.lastHash}`);
        else
          err(`audit chain BROKEN at row ${r.firstBadId} (${r.reason}); ${r.rows} rows before it verified`);
        if (!r.ok) process.exitCode = 1;
      }),
    );

  program
    .command('id')
    .description('ID numbers / 身份证号码')
    .command('check <number>')
    .description('Validate a citizen ID number (GB 11643) / 校验身份证号码')
    .option('--json', 'machine-readable output')
    .action(async (n: string, o: { json?: boolean }) => {
      const { parseIdNumber, maskIdNumber } = await import('../../domain/id-number.ts');
      const r = parseIdNumber(n);
      if (r.ok) {
        const v = {
          valid: true,
          masked: maskIdNumber(r.value.normalized),
          birthDate: r.value.birthDate,
          sex: r.value.sex,
          addressCode: r.value.addressCode,
          convertedFrom15: r.value.converted,
        };
        out(
          o.json
            ? JSON.stringify(v)
            : `有效 valid: ${v.masked}, 出生 ${v.birthDate}, ${v.sex === 'male' ? '男 male' : '女 female'}${v.convertedFrom15 ? ' (15位已转换 converted from 15 digits)' : ''}`,
        );
      } else {
        if (o.json) out(JSON.stringify({ valid: false, code: r.code, message: r.message }));
        else err(`无效 invalid (${r.code}): ${r.message.zh} / ${r.message.en}`);
        process.exitCode = 1;
      }
    });
}

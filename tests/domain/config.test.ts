import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../src/config.ts';

// The settings this hardening added, and the rules that stop Loa at start naming the variable.

const token = '123456:abcdefghijklmnopqrstuvwxyz';
const webhook = { BOT_TOKEN: token, WEBHOOK_URL: 'https://bot.example.org/hook' };
const refused = (env: Record<string, string>, variable: string, text: RegExp) =>
  assert.throws(
    () => parseConfig(env),
    (e: unknown) => e instanceof ConfigError && e.variable === variable && text.test(e.message),
  );

describe('settings', () => {
  it('WEBHOOK_SECRET needs at least 32 characters of A-Z, a-z, 0-9, _ or -', () => {
    refused({ ...webhook, WEBHOOK_SECRET: 'x' }, 'WEBHOOK_SECRET', /32-256 characters/);
    refused({ ...webhook, WEBHOOK_SECRET: 'a'.repeat(31) }, 'WEBHOOK_SECRET', /32-256 characters/);
    refused({ ...webhook, WEBHOOK_SECRET: `${'a'.repeat(31)}!` }, 'WEBHOOK_SECRET', /A-Z, a-z, 0-9/);
    refused({ ...webhook, WEBHOOK_SECRET: 'a'.repeat(257) }, 'WEBHOOK_SECRET', /32-256/);
    assert.equal(parseConfig({ ...webhook, WEBHOOK_SECRET: 'aZ0_-'.repeat(7) })?.webhook?.secret, 'aZ0_-'.repeat(7));
  });

  it('GROUP_ADMISSION is owner by default, open when set; ALLOWED_GROUP_IDS takes negative ids only', () => {
    const c = parseConfig({ BOT_TOKEN: token });
    assert.equal(c.groupAdmission, 'owner');
    assert.deepEqual([...c.allowedGroupIds], []);
    assert.equal(parseConfig({ BOT_TOKEN: token, GROUP_ADMISSION: 'open' }).groupAdmission, 'open');
    refused({ BOT_TOKEN: token, GROUP_ADMISSION: 'anyone' }, 'GROUP_ADMISSION', /owner or open/);
    const listed = parseConfig({ BOT_TOKEN: token, ALLOWED_GROUP_IDS: '-1001234567890, -42' });
    assert.deepEqual([...listed.allowedGroupIds], [-1001234567890, -42]);
    refused({ BOT_TOKEN: token, ALLOWED_GROUP_IDS: '-1, 12345' }, 'ALLOWED_GROUP_IDS', /negative/);
    refused({ BOT_TOKEN: token, ALLOWED_GROUP_IDS: '-1, group' }, 'ALLOWED_GROUP_IDS', /"group" is not/);
  });

  it('REBUTTALS_PER_DAY and SUBMISSIONS_PER_DAY default to 10 and 5', () => {
    const c = parseConfig({ BOT_TOKEN: token });
    assert.equal(c.rebuttalsPerDay, 10);
    assert.equal(c.submissionsPerDay, 5);
    const set = parseConfig({ BOT_TOKEN: token, REBUTTALS_PER_DAY: '3', SUBMISSIONS_PER_DAY: '0' });
    assert.deepEqual([set.rebuttalsPerDay, set.submissionsPerDay], [3, 0]);
    refused({ BOT_TOKEN: token, REBUTTALS_PER_DAY: '-1' }, 'REBUTTALS_PER_DAY', /./);
  });
});

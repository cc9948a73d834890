// The atomic steps of a Redis session turn, as Lua scripts (one round trip each).
import { LuaScript } from "./lua-script.ts";

/**
 * Admit a message, take the turn lock and read the state, in one step.
 * KEYS: lock, state[, rate[, message]]. ARGV: token, leaseMs[, rateLimit, rateWindowMs[, messageTtlSeconds]].
 * With a message key (a message's first attempt), a key already claimed returns `{2}` (a redelivery: no rate
 * budget spent); the claim's value is the turn's token, so only this turn may withdraw it. With a rate key the
 * message is counted in a fixed window opened by the user's first message, and one beyond the limit returns `{3}`.
 * Then `{1, state|false}` when the lock is taken, `{0}` when another turn holds it (the caller retries without the
 * rate and message keys: that message was already admitted).
 */
export const admitAndAcquire = new LuaScript(`
if KEYS[4] and not redis.call('SET', KEYS[4], ARGV[1], 'NX', 'EX', ARGV[5]) then return {2} end
if KEYS[3] then
  local n = redis.call('INCR', KEYS[3])
  if n == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[4]) end
  if n > tonumber(ARGV[3]) then return {3} end
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2])}
end
return {0}
`);

/**
 * Write back and release. A write needs the lock still held by this token (fencing: a turn that outlived its
 * lease, or whose user was forgotten meanwhile, must not overwrite); deleting or keeping needs no lock.
 * KEYS: lock, state. ARGV: token, mode ('set' | 'delete' | 'keep'), value, ttlSeconds. Returns 1, or 0 if lost.
 */
export const commitAndRelease = new LuaScript(`
local held = redis.call('GET', KEYS[1]) == ARGV[1]
if ARGV[2] == 'set' then
  if not held then return 0 end
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
elseif ARGV[2] == 'delete' then
  redis.call('DEL', KEYS[2])
end
if held then redis.call('DEL', KEYS[1]) end
return 1
`);

/**
 * Give up a turn without writing (it failed): release the lock and withdraw the message's claim, each only if
 * this token holds it. KEYS: lock[, message]. ARGV: token.
 */
export const abandon = new LuaScript(`
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 1
`);

/** Extend the lease of a lock this token still holds. KEYS: lock. ARGV: token, leaseMs. Returns 1 or 0. */
export const renew = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

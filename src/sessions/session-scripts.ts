// The atomic steps of a Redis session turn, as Lua scripts (one round trip each).
import { LuaScript } from "./lua-script.ts";

/**
 * Take the turn lock and read the state in one step.
 * KEYS: lock, state. ARGV: token, leaseMs. Returns `{1, state|false}` when taken, `{0, pttl}` when held.
 */
export const acquireAndLoad = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2])}
end
return {0, redis.call('PTTL', KEYS[1])}
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

/** Release without writing (compare-and-delete). KEYS: lock. ARGV: token. */
export const release = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Extend the lease of a lock this token still holds. KEYS: lock. ARGV: token, leaseMs. Returns 1 or 0. */
export const renew = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/**
 * Count one message in a fixed window opened by the first one. KEYS: counter. ARGV: windowMs. Returns the count.
 */
export const countInWindow = new LuaScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`);
